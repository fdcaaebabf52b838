import { open, readFile, rm, stat } from "node:fs/promises";
import { realSleep, type Sleep } from "./http.ts";

/**
 * A lock file next to the store, so that `paperbot ingest` run while the bot's own schedule ingests cannot
 * lose one of the two updates (both read the old store, the last rename wins). It is held only for the
 * read-merge-write, which takes moments, never for the network. A lock whose process is gone, or that is
 * older than `staleMs` (a pid reused after a restart), is taken over.
 */

export class LockTimeoutError extends Error {
  override name = "LockTimeoutError";
}

export interface LockOptions {
  timeoutMs?: number;
  staleMs?: number;
  retryMs?: number;
  sleep?: Sleep;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(lockPath, "utf8"), stat(lockPath)]);
    const pid = Number.parseInt(text, 10);
    return !Number.isInteger(pid) || pid <= 0 || !alive(pid) || Date.now() - info.mtimeMs > staleMs;
  } catch {
    // Gone already (released between our attempts): not stale, just try again.
    return false;
  }
}

export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retryMs = options.retryMs ?? 50;
  const sleep = options.sleep ?? realSleep;
  let waited = 0;
  for (;;) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (await isStale(lockPath, options.staleMs ?? 60_000)) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (waited >= timeoutMs) throw new LockTimeoutError(`${lockPath} is held by another ingest; gave up after ${Math.round(waited / 1000)} s`);
    await sleep(retryMs);
    waited += retryMs;
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}
