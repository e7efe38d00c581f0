// A counting semaphore: at most `limit` tasks at once (0 = no limit), the rest wait in order.
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.limit > 0 && this.active >= this.limit) await new Promise<void>((resolve) => { this.waiting.push(resolve); });
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
