import type { Database } from "./sqlite.ts";
import type { Sql } from "./sql.ts";

/**
 * Sql over one better-sqlite3 connection. better-sqlite3 is synchronous; what needs care is a
 * transaction, whose work awaits between statements: every call goes through one queue, so that calls
 * arriving meanwhile (another digest, a command) run after it instead of inside it.
 */
export class SqliteSql implements Sql {
  private readonly statements = new Map<string, Database.Statement<unknown[]>>();
  private queue: Promise<unknown> = Promise.resolve();

  /** How long a call waits for another process's write lock before it fails (the connection's busy timeout). */
  private readonly busyMs: number;

  constructor(readonly db: Database.Database) {
    // SQLite would wait for the lock synchronously, freezing the event loop (and, in one process with two
    // connections, the very transaction it waits for): the wait is done here, asynchronously, instead.
    this.busyMs = Number(db.pragma("busy_timeout", { simple: true })) || 0;
    db.pragma("busy_timeout = 0");
  }

  private prepared(sql: string) {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** In turn: after the transaction (or call) before it, never inside another's transaction. */
  private serial<T>(work: () => T | Promise<T>): Promise<T> {
    const run = () => this.whenUnlocked(work);
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs `work`, trying again (5 ms, doubling to 100 ms) while another connection holds the write lock. */
  private async whenUnlocked<T>(work: () => T | Promise<T>): Promise<T> {
    const deadline = Date.now() + this.busyMs;
    for (let wait = 5; ; wait = Math.min(100, wait * 2)) {
      try {
        return await work();
      } catch (error) {
        const code = String((error as { code?: unknown }).code ?? "");
        if (!code.startsWith("SQLITE_BUSY") || Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.serial(() => this.direct.all<T>(sql, params));
  }

  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.serial(() => this.direct.get<T>(sql, params));
  }

  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.serial(() => this.direct.run(sql, params));
  }

  /** Calls made inside `work` must use `tx`: the outer Sql waits for the transaction to end. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = await work(this.direct);
        this.db.exec("COMMIT");
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  /** The statements themselves, straight to the connection: a transaction's work calls these, as it holds the connection. */
  private readonly direct: Sql = {
    all: async <T>(sql: string, params: readonly unknown[] = []) => this.prepared(sql).all(...(params as unknown[])) as T[],
    get: async <T>(sql: string, params: readonly unknown[] = []) => this.prepared(sql).get(...(params as unknown[])) as T | undefined,
    run: async (sql: string, params: readonly unknown[] = []) => this.prepared(sql).run(...(params as unknown[])).changes,
    transaction: (work) => work(this.direct),
    close: async () => undefined,
  };

  async close(): Promise<void> {
    await this.queue;
    if (this.db.open) this.db.close();
  }
}
