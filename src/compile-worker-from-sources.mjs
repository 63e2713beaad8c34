// Starts a compile worker from the TypeScript sources (development and tests): registers tsx in
// this worker thread, then loads the worker module. The compiled dist/ uses compile-worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./compile-worker.ts');
