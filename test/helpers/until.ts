import { setTimeout as delay } from "node:timers/promises";

/** Checks `condition` every 20 ms until it holds; fails after `timeoutMs` saying what was awaited. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(20);
  }
}
