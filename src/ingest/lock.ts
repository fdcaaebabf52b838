import Database from "better-sqlite3";
import { realSleep, type Sleep } from "../net/http.ts";

/**
 * The store's lock, so that `paperbot ingest` run while the bot's own schedule ingests cannot lose one of
 * the two updates (both read the old store, the last rename wins). It is an exclusive SQLite transaction
 * on a small lock file beside the store: SQLite holds it with the operating system's file lock, which the
 * kernel releases the moment the holding process dies, and which no other process can delete or take
 * over. So there is nothing to guess about staleness, and a release can only ever release our own lock.
 * Waiting polls, never blocking the event loop. Held only for the read-merge-write, never for the network.
 */

export class LockTimeoutError extends Error {
  override name = "LockTimeoutError";
}

export interface LockOptions {
  timeoutMs?: number;
  retryMs?: number;
  sleep?: Sleep;
}

const isBusy = (error: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code));

export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retryMs = options.retryMs ?? 50;
  const sleep = options.sleep ?? realSleep;
  // timeout 0: answer "busy" at once, so that waiting happens here, between turns of the event loop.
  const db = new Database(lockPath, { timeout: 0 });
  try {
    for (let waited = 0; ; waited += retryMs) {
      try {
        db.exec("BEGIN EXCLUSIVE");
        break;
      } catch (error) {
        if (!isBusy(error)) throw error;
        if (waited >= timeoutMs) throw new LockTimeoutError(`${lockPath} is held by another ingest; gave up after ${Math.round(waited / 1000)} s`);
        await sleep(retryMs);
      }
    }
    try {
      return await work();
    } finally {
      db.exec("ROLLBACK");
    }
  } finally {
    db.close();
  }
}
