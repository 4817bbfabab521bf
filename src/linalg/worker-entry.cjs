// Worker thread bootstrap (see parallel.ts): register tsx's CommonJS loader in this thread, so
// that the TypeScript worker module can be loaded whatever loader the parent process uses.
require('tsx/cjs');
require('./worker.ts');
