/** A FIFO async mutex: catalog changes and checkpoints run one at a time. */
export class AsyncMutex {
  private last: Promise<void> = Promise.resolve();

  /** Runs `work` after every earlier holder has finished (whether it succeeded or not). */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.last.then(work);
    this.last = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
