/** Where the worker threads' entry module lives, for whoever starts the pool. */
export const workerEntryUrl = new URL('./worker.js', import.meta.url);
