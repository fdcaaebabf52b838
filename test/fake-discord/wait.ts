// Bounded waiting. Every REST request / gateway event calls notify(), so waits on the fake's own
// state resolve immediately; a short poll also covers conditions on outside state (e.g. the bot's).
const POLL_MS = 10;

export class Notifier {
  private listeners = new Set<() => void>();
  private closedError: Error | undefined;

  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Make every pending and future wait fail fast (server closed). */
  close(error: Error): void {
    this.closedError = error;
    this.notify();
  }

  /** Resolves with check()'s first value that is not undefined; rejects after timeoutMs. */
  until<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.listeners.delete(listener);
        fn();
      };
      const listener = () => {
        if (this.closedError) return finish(() => reject(this.closedError));
        let value: T | undefined;
        try {
          value = check();
        } catch (error) {
          return finish(() => reject(error));
        }
        if (value !== undefined) finish(() => resolve(value as T));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${describe()}`))),
        timeoutMs,
      );
      const poll = setInterval(listener, POLL_MS);
      this.listeners.add(listener);
      listener();
    });
  }
}
