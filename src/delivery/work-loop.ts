/**
 * The run-one-at-a-time loop of the delivery and outbound workers: `wake()` starts a run, or, if
 * one is under way, asks for another right after it (wakes coalesce, runs never overlap);
 * `stop()` refuses new runs and waits for the current one. What a run does is the worker's.
 */
export class WorkLoop {
  private running = false;
  private again = false;
  private stopped = false;
  private idle: Promise<void> = Promise.resolve();

  /** `run` does one pass; it is called again while wakes arrived during it. */
  constructor(private readonly run: () => Promise<void>) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  /** True when a wake arrived since the current pass began (the pass may then skip waiting). */
  get wokenSince(): boolean {
    return this.again;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.idle = this.loop().finally(() => { this.running = false; });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.run();
    } while (this.again && !this.stopped);
  }
}
