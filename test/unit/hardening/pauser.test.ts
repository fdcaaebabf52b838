import { describe, expect, it } from "vitest";
import { pauser } from "../../../src/responsiveness.ts";

/** Holds the event loop for `ms` of wall time, as a step of indexing work does. */
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

/** How many times the event loop turned (ran a setImmediate) while `work` ran. */
async function turnsDuring(work: () => Promise<void>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  running = false;
  return turns;
}

describe("pauser (long work lets the bot answer in between)", () => {
  it("gives the event loop a turn whenever the work has held it for its turn", async () => {
    const steps = async (pause?: () => Promise<void>) => {
      for (let i = 0; i < 30; i++) {
        busy(1);
        await pause?.();
      }
    };
    expect(await turnsDuring(() => steps())).toBe(0);
    // 30 ms of work in turns of 5 ms: about six turns (more on a busy machine, never fewer than four).
    expect(await turnsDuring(() => steps(pauser(5)))).toBeGreaterThanOrEqual(4);
  });

  it("costs nothing while the turn lasts", async () => {
    const pause = pauser(60_000);
    expect(await turnsDuring(async () => {
      for (let i = 0; i < 1000; i++) await pause();
    })).toBe(0);
  });
});
