import { setTimeout as delay } from "node:timers/promises";

/**
 * Checks `condition` every `intervalMs` until it holds; fails after `timeoutMs` saying what was awaited
 * (`what` may be a function, to say what was last seen).
 */
export async function until(what: string | (() => string), condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
    await delay(intervalMs);
  }
}
