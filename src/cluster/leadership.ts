import type { Logger } from "pino";
import type { PostgresSql } from "../store/postgres.ts";

/** The advisory lock whose holder is the ingest leader. */
const INGEST_LEADER_LOCK = 7_245_002;

/**
 * Exactly one process at a time runs the scheduled ingest: the one holding a PostgreSQL session advisory
 * lock. The lock lives on a connection this process keeps; when the process dies the connection closes,
 * PostgreSQL releases the lock, and another process takes it at its next try (every `retryMs`).
 */
export class Leadership {
  private held: import("pg").PoolClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private trying: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: PostgresSql,
    private readonly logger: Logger,
    private readonly retryMs = 5000,
  ) {}

  get isLeader(): boolean {
    return this.held !== undefined;
  }

  async start(): Promise<void> {
    await this.tryTake();
    this.timer = setInterval(() => {
      this.trying = this.trying.then(() => this.tryTake());
    }, this.retryMs);
    this.timer.unref();
  }

  /** Who holds the lock: "host:pid" of the leading process (from its connection's application_name). */
  async holder(): Promise<string | undefined> {
    const row = await this.sql.get<{ name: string }>(
      `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.classid = 0 AND l.objid = ? AND l.objsubid = 1 AND l.granted
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1`,
      [INGEST_LEADER_LOCK],
    );
    return row?.name || undefined;
  }

  private async tryTake(): Promise<void> {
    if (this.held) {
      // Still ours while its connection lives; a broken one means the lock is gone.
      const alive = await this.held.query("SELECT 1").then(() => true, () => false);
      if (alive) return;
      this.held.release(true);
      this.held = undefined;
      this.logger.warn("lost the ingest leadership: its database connection broke");
    }
    const client = await this.sql.pool.connect().catch(() => undefined);
    if (!client) return;
    // A connection killed under us (the server restarting) is noticed at the next try, not thrown.
    const onError = (error: Error) => this.logger.warn({ err: error }, "the ingest leadership's connection failed");
    client.on("error", onError);
    const taken = await client.query<{ taken: boolean }>("SELECT pg_try_advisory_lock($1) AS taken", [INGEST_LEADER_LOCK]).then((result) => result.rows[0]?.taken === true, () => false);
    if (!taken) {
      client.off("error", onError);
      client.release();
      return;
    }
    this.held = client;
    this.logger.info("this process is the ingest leader");
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.trying;
    if (!this.held) return;
    await this.held.query("SELECT pg_advisory_unlock($1)", [INGEST_LEADER_LOCK]).catch(() => undefined);
    this.held.release();
    this.held = undefined;
  }
}
