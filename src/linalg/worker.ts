/** Worker thread entry: takes parts of a task from the shared counter, runs them, signals completion (parallel.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TASKS, type TaskName } from './tasks.js';

const { ready, done } = workerData as { ready: Int32Array; done: Int32Array };

/**
 * Each task message brings its operands as new views of SharedArrayBuffers. Their memory is freed
 * only once every thread that saw them has collected its views, and this thread allocates so
 * little that its garbage collector may not run for thousands of tasks: without help the process
 * kept every shared operand it ever sent here (measured: +62 MB per 15007 x 256 product, 5.8 GB
 * by the end of a laptop run). So the thread collects its own garbage once the shared memory it
 * has been handed since the last collection passes a threshold: a few milliseconds per
 * COLLECT_AFTER_BYTES of operands, which took far longer than that to compute with.
 */
const COLLECT_AFTER_BYTES = 256 * 1024 * 1024;
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
let sharedSinceCollection = 0;

/** Bytes of the distinct SharedArrayBuffers viewed anywhere in a task's arguments. */
function sharedBytes(parts: unknown[]): number {
  const seen = new Set<SharedArrayBuffer>();
  const visit = (value: unknown): void => {
    if (ArrayBuffer.isView(value)) {
      if (value.buffer instanceof SharedArrayBuffer) seen.add(value.buffer);
    } else if (Array.isArray(value)) {
      for (const v of value) visit(v);
    } else if (typeof value === 'object' && value !== null) {
      for (const v of Object.values(value)) visit(v);
    }
  };
  visit(parts);
  let bytes = 0;
  for (const b of seen) bytes += b.byteLength;
  return bytes;
}

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
  sharedSinceCollection += sharedBytes(parts);
  if (sharedSinceCollection > COLLECT_AFTER_BYTES) {
    sharedSinceCollection = 0;
    collectGarbage(); // after signalling: the caller does not wait for it
  }
});

Atomics.store(ready, 0, 1);
Atomics.notify(ready, 0);
