/** Worker thread entry: takes parts of a task from the shared counter, runs them, signals completion (parallel.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { TASKS, type TaskName } from './tasks.js';

const { ready, done } = workerData as { ready: Int32Array; done: Int32Array };

parentPort!.on('message', ({ name, parts, counter }: { name: TaskName; parts: unknown[]; counter: Int32Array }) => {
  try {
    const task = TASKS[name] as (a: unknown) => void;
    for (let i = Atomics.add(counter, 0, 1); i < parts.length; i = Atomics.add(counter, 0, 1)) task(parts[i]);
  } catch (error) {
    console.error(`linalg worker: task ${name} failed:`, error);
    Atomics.store(done, 1, 1);
  }
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
});

Atomics.store(ready, 0, 1);
Atomics.notify(ready, 0);
