/**
 * A per-user sliding window: at most `limit` actions in any `windowMs`. Memory stays bounded because
 * a user's entry is dropped once their window is empty.
 */
export class RateLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an action; returns 0 when allowed, else the milliseconds until the user may act again. */
  take(user: string): number {
    const now = this.now();
    const times = (this.recent.get(user) ?? []).filter((time) => now - time < this.windowMs);
    if (times.length >= this.limit) {
      this.recent.set(user, times);
      return this.windowMs - (now - times[0]!);
    }
    times.push(now);
    this.recent.set(user, times);
    this.forgetIdle(now);
    return 0;
  }

  private forgetIdle(now: number): void {
    if (this.recent.size < 10_000) return;
    for (const [user, times] of this.recent) if (times.every((time) => now - time >= this.windowMs)) this.recent.delete(user);
  }
}
