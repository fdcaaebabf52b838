import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Replaces a file so that readers, and a crash at any moment, see either the old content or the new, never
 * a mix: write a temporary file in the same folder (rename is atomic only within one file system), flush it
 * to disk, then rename it over the old one and flush the folder so the rename itself survives a power cut.
 * The temporary name starts with a dot, so the corpus loader never mistakes a leftover for a corpus file.
 */

/** Points where a test can stop the write, to kill the process there for real. */
export interface WriteHooks {
  afterChunk?: (bytesWritten: number, tempPath: string) => Promise<void> | void;
  beforeRename?: (tempPath: string) => Promise<void> | void;
}

const CHUNK = 1 << 20;

/** The temporary files of `path`: ".ingested.jsonl.<pid>.<random>.tmp". */
export const tempFilePattern = (path: string) => new RegExp(`^\\.${basename(path).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.\\d+\\.[0-9a-f]+\\.tmp$`);

export async function writeFileAtomic(path: string, content: string, hooks: WriteHooks = {}): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  // Keep the old file's permissions: a store made group-writable stays so.
  const mode = await stat(path).then((info) => info.mode & 0o777, () => 0o644);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(temp, "wx", mode);
  try {
    const bytes = Buffer.from(content, "utf8");
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, written, Math.min(CHUNK, bytes.length - written));
      written += bytesWritten;
      await hooks.afterChunk?.(written, temp);
    }
    await handle.sync();
    await handle.close();
    await hooks.beforeRename?.(temp);
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await syncDir(dir);
}

/** Best effort: some platforms (Windows) cannot open a folder to flush it. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The rename has happened; only its durability across a power cut is less certain here.
  }
}
