// Worker thread of worker-pool.ts: register tsx's CommonJS loader in this thread, then run each
// job (a module path, an export name and its arguments) and post back its result or its error.
require('tsx/cjs');
const { parentPort } = require('node:worker_threads');

parentPort.on('message', async ({ id, module, exportName, args }) => {
  try {
    const result = await require(module)[exportName](...args);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: `${exportName} in ${module}: ${error && error.stack ? error.stack : error}` });
  }
});
