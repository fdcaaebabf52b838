import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { migrate, NewerSchemaError, SCHEMA_VERSION } from "./schema.ts";

/**
 * paperbot's database: SQLite (better-sqlite3) in WAL mode with foreign keys on, created with its
 * directory on first start and migrated when opened (src/store/schema.ts). Digests, saved searches and
 * whatever else the bot remembers live here, each feature's store over this one connection.
 */

export type { Database };

/** The database cannot be used: corrupt, not a database, locked, unwritable or from a newer version. */
export class StoreError extends Error {
  readonly path: string | undefined;
  constructor(message: string, options?: ErrorOptions & { path?: string }) {
    super(message, options);
    this.name = "StoreError";
    this.path = options?.path;
  }
}

export interface OpenOptions {
  /** How long to wait for a lock held by another connection before giving up (default 5000 ms). */
  busyTimeoutMs?: number;
}

function isMemory(path: string): boolean {
  return path === ":memory:" || path === "";
}

/** The one message for a database that cannot be opened, naming the file and what to do. */
function openError(path: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  if (error instanceof NewerSchemaError) {
    const where = isMemory(path) ? ":memory:" : resolve(path);
    return new StoreError(
      `Cannot open the database ${where}: it has schema version ${error.version}, written by a newer paperbot (this one knows up to ${SCHEMA_VERSION}). Upgrade paperbot, or set DATABASE_PATH to another file.`,
      { path },
    );
  }
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  const where = isMemory(path) ? "the in-memory database" : `the database ${resolve(path)}`;
  const codeText = typeof code === "string" ? code : "";
  let message: string;
  if (codeText.startsWith("SQLITE_BUSY") || codeText.startsWith("SQLITE_LOCKED")) {
    message = `Cannot open ${where}: it is locked by another process (${detail}). Stop the other paperbot (or whatever holds the file) and start again.`;
  } else if (codeText.startsWith("SQLITE_NOTADB") || codeText.startsWith("SQLITE_CORRUPT")) {
    message = `Cannot open ${where}: the file is corrupt or not a SQLite database (${detail}). Move it aside (or restore a backup) and start again; a new, empty database will be created.`;
  } else if (codeText.startsWith("SQLITE_CANTOPEN") || codeText.startsWith("SQLITE_READONLY") || codeText.startsWith("SQLITE_PERM") || codeText.startsWith("SQLITE_AUTH") || codeText === "EACCES" || codeText === "EEXIST" || codeText === "ENOTDIR" || codeText === "EROFS") {
    message = `Cannot open ${where} (${detail}). Check that the path is a file in a writable directory, or set DATABASE_PATH to another file.`;
  } else {
    message = `Cannot open ${where} (${detail}). Check the file and its directory, or set DATABASE_PATH to another file.`;
  }
  return new StoreError(message, { cause: error, path });
}

/**
 * Opens (creating it and its directory on first start) and migrates the database. ":memory:" for tests.
 * Throws StoreError, one message naming the file and what to do, when it is corrupt, not a database,
 * locked by another process (after `busyTimeoutMs`), unwritable, or from a newer version.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (!isMemory(path)) mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma("synchronous = NORMAL");
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw Object.assign(new Error(`integrity check failed: ${String(check)}`), { code: "SQLITE_CORRUPT" });
    migrate(db);
    return db;
  } catch (error) {
    try {
      db?.close();
    } catch {
      // Already unusable; the error below says why.
    }
    throw openError(path, error);
  }
}
