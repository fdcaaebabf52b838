/** The time source of everything scheduled, so tests can pretend it is another time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that started at `start` when the process did, and runs at real speed: with PAPERBOT_FAKE_NOW,
 * end-to-end tests (and demos) start the bot a few seconds before a digest is due instead of waiting.
 */
export function clockStartingAt(start: number): Clock {
  const offset = start - Date.now();
  return { now: () => Date.now() + offset };
}
