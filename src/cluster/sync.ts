import type { Logger } from "pino";
import type { Paper } from "../corpus/paper.ts";
import type { PostgresSql } from "../store/postgres.ts";
import { addLive } from "../search/add-live.ts";
import type { SearchEngine } from "../search/engine.ts";
import { Leadership } from "./leadership.ts";
import { PAPERS_CHANNEL, PaperFeed } from "./paper-feed.ts";

/** How often the shared papers are read when no notification came (a missed NOTIFY, a reconnect). */
const POLL_MS = 5000;

/**
 * What a process of a sharded bot does with the shared PostgreSQL beyond its stores: takes part in the
 * ingest leadership, and brings the papers any leader ingested into its own index (at start-up, then
 * within a second of each publication), telling `arrived` (the watches) about them.
 */
export class ClusterSync {
  readonly leadership: Leadership;
  private readonly feed: PaperFeed;
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private syncing: Promise<void> = Promise.resolve();
  /** A listen under way (PostgreSQL slow to answer): no second one is started meanwhile. */
  private listening: Promise<void> | undefined;
  private arrived: (papers: readonly Paper[]) => Promise<unknown> = async () => undefined;

  constructor(
    private readonly sql: PostgresSql,
    private readonly engine: SearchEngine,
    private readonly logger: Logger,
    private readonly pollMs = POLL_MS,
  ) {
    this.leadership = new Leadership(sql, logger);
    this.feed = new PaperFeed(sql);
  }

  /** Before serving: the papers ingested by the cluster so far go into the index. */
  async catchUp(): Promise<number> {
    const papers = await this.feed.next(this.logger);
    await addLive(this.engine, papers);
    return papers.length;
  }

  /** What else papers that arrive later go to, once searchable (the watches, embeddings). */
  onArrival(arrived: (papers: readonly Paper[]) => Promise<unknown>): void {
    this.arrived = arrived;
  }

  publish(papers: readonly Paper[]): Promise<void> {
    return this.feed.publish(papers, Date.now());
  }

  /**
   * At start-up, papers this process once ingested (its local store) that never reached the database
   * (it stopped between storing and publishing them) are published now. Returns how many.
   */
  async publishLeftBehind(local: readonly Paper[]): Promise<number> {
    const missing = await this.feed.missing(local);
    if (missing.length) await this.publish(missing);
    return missing.length;
  }

  async start(): Promise<void> {
    await this.leadership.start();
    await this.listen();
    this.timer = setInterval(() => {
      if (!this.unlisten && !this.listening) {
        this.listening = this.listen().finally(() => (this.listening = undefined));
      }
      this.sync();
    }, this.pollMs);
    this.timer.unref();
  }

  /** Listens for publications; when the connection breaks, the next poll listens again. */
  private async listen(): Promise<void> {
    const lost = (error: Error) => {
      this.unlisten = undefined;
      this.logger.warn({ err: error }, "shared papers: notifications lost; polling until listening again");
    };
    this.unlisten = await this.sql.listen(PAPERS_CHANNEL, () => this.sync(), lost).catch((error: unknown) => {
      this.logger.warn({ err: error }, "shared papers: cannot listen for notifications; polling");
      return undefined;
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.unlisten?.();
    await this.syncing;
    await this.leadership.stop();
  }

  /** Reads what was published since the last read; one read at a time. */
  private sync(): void {
    this.syncing = this.syncing
      .then(async () => {
        const papers = await this.feed.next(this.logger);
        if (papers.length === 0) return;
        await addLive(this.engine, papers);
        this.logger.info({ papers: papers.length }, "shared papers added to the index");
        await this.arrived(papers);
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, "shared papers not read; trying again"));
  }

}
