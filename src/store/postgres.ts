import { hostname } from "node:os";
import pg from "pg";
import type { Sql } from "./sql.ts";
import { migratePostgres } from "./postgres-schema.ts";

// BIGINT (epoch milliseconds, ids, counts) as numbers, as SQLite gives them: all fit in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (text) => Number(text));

/** `?` placeholders as PostgreSQL's `$1, $2, …` (paperbot's SQL has no `?` inside strings). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

type Queryable = Pick<pg.Pool, "query"> | pg.PoolClient;

function over(client: Queryable, transaction: Sql["transaction"]): Sql {
  return {
    all: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(numbered(sql), [...params])).rows as T[],
    get: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(numbered(sql), [...params])).rows[0] as T | undefined,
    run: async (sql: string, params: readonly unknown[] = []) => (await client.query(numbered(sql), [...params])).rowCount ?? 0,
    transaction,
    close: async () => undefined,
  };
}

/**
 * Sql over a PostgreSQL pool (node-postgres): DATABASE_URL=postgres://… makes every process of a sharded
 * bot share one database. A transaction holds one pooled connection from BEGIN to COMMIT.
 */
export class PostgresSql implements Sql {
  readonly pool: pg.Pool;
  private readonly outside: Sql;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
    this.outside = over(pool, (work) => this.transaction(work));
  }

  /** Connects and brings the schema up to date (one process at a time, under an advisory lock). */
  static async connect(url: string, options: { max?: number; name?: string } = {}): Promise<PostgresSql> {
    // The application name tells which process holds a lock (/about's ingest leader): "paperbot host:pid".
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
      // The server notices a process whose machine died (or was cut off) within about a minute, and ends its
      // session: its advisory lock (the ingest leadership) and row locks go with it. No statement hangs forever.
      options: "-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3 -c statement_timeout=60000 -c idle_in_transaction_session_timeout=60000",
      application_name: `paperbot ${options.name ?? `${hostname()}:${process.pid}`}`.slice(0, 63),
    });
    // An idle connection the server dropped must not crash the process: the pool replaces it.
    pool.on("error", () => undefined);
    const sql = new PostgresSql(pool);
    try {
      await migratePostgres(sql);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return sql;
  }

  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.outside.all<T>(sql, params);
  }

  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.outside.get<T>(sql, params);
  }

  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.outside.run(sql, params);
  }

  async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection lost mid-transaction emits "error" on the checked-out client: noted (the query in
    // flight fails too), never an uncaught exception; the broken client is then discarded, not pooled.
    let broken: Error | undefined;
    const onError = (error: Error) => (broken = error);
    client.on("error", onError);
    const tx = over(client, (inner) => inner(tx));
    try {
      await client.query("BEGIN");
      const result = await work(tx);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  }

  /**
   * Calls `onNotify` for each NOTIFY on `channel`, on a connection of its own; resolves with a function
   * that stops listening. A broken connection is reported through `onError` (callers also poll).
   */
  async listen(channel: string, onNotify: () => void, onError: (error: Error) => void): Promise<() => Promise<void>> {
    const client = await this.pool.connect();
    let released = false;
    const release = (broken: boolean) => {
      if (released) return;
      released = true;
      client.release(broken);
    };
    client.on("notification", (message) => message.channel === channel && onNotify());
    client.on("error", (error) => {
      release(true);
      onError(error);
    });
    try {
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      release(true);
      throw error;
    }
    return async () => {
      if (!released) await client.query(`UNLISTEN ${channel}`).catch(() => undefined);
      release(false);
    };
  }

  /** Ends the pool; closing again does nothing. */
  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}
