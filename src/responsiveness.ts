import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

/**
 * How long the event loop was kept from turning, since the bot started serving: the figure behind "one server cannot stall
 * the bot". Every interaction waits behind whatever holds the loop; /about shows it, and the load test
 * reads it there.
 */
export class Responsiveness {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  /** Watches from now on (the bot's start, not the corpus load before it). */
  start(): void {
    this.histogram.reset();
    this.histogram.enable();
  }

  /** Event-loop delay in milliseconds: median, 99th percentile and the worst. */
  delay(): { p50: number; p99: number; max: number } {
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    return { p50: ms(this.histogram.percentile(50)), p99: ms(this.histogram.percentile(99)), max: ms(this.histogram.max) };
  }

  stop(): void {
    this.histogram.disable();
  }
}

/**
 * How long work on the event loop (an ingest adding papers, a store being merged) may hold it before
 * letting interactions through: an interaction needs a few turns of the loop (its gateway message, the
 * handler, the answer's request), so each turn held this long adds about three times this to answers.
 */
const WORK_TURN_MS = 5;

/**
 * For a long loop of small steps: `await pause()` after each step lets the event loop turn whenever the
 * work has held it for `turnMs` since the last time, and costs next to nothing otherwise.
 */
export function pauser(turnMs = WORK_TURN_MS): () => Promise<void> {
  let started = performance.now();
  return async () => {
    if (performance.now() - started < turnMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    started = performance.now();
  };
}
