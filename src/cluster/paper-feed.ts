import type { Logger } from "pino";
import type { Paper } from "../corpus/paper.ts";
import { recordToPaper } from "../corpus/loaders/records.ts";
import { toRecord } from "../ingest/store.ts";
import { placeholders, type Sql } from "../store/sql.ts";

/** The channel the ingest leader notifies on; followers also poll, in case a notification is missed. */
export const PAPERS_CHANNEL = "paperbot_papers";
const BATCH = 1000;
/** pg_advisory_xact_lock key serializing publications. */
const PUBLISH_LOCK = 7_245_003;

/**
 * Papers shared by every process of a sharded bot, in PostgreSQL: the ingest leader publishes what it
 * ingests; every process reads the table in order of `seq`, from where it got to, at start-up (papers
 * ingested while it was down, or before it existed) and then within seconds of each publication
 * (LISTEN/NOTIFY, with polling as a fallback). A re-ingested paper gets a new seq, so its update travels too.
 */
export class PaperFeed {
  private cursor = 0;

  constructor(private readonly sql: Sql) {}

  /** Writes (or updates) the papers and tells the other processes. */
  async publish(papers: readonly Paper[], now: number): Promise<void> {
    if (papers.length === 0) return;
    await this.sql.transaction(async (tx) => {
      // One publisher at a time (two leaders overlap for a moment at a hand-over): seqs are then taken in
      // commit order, so a reader past seq n can never later meet a smaller one committed after it.
      await tx.run("SELECT pg_advisory_xact_lock(?)", [PUBLISH_LOCK]);
      for (const paper of papers) {
        await tx.run(
          `INSERT INTO papers (id, record, ingested_at) VALUES (?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET record = excluded.record, ingested_at = excluded.ingested_at, seq = nextval('papers_seq')`,
          [paper.id, JSON.stringify(toRecord(paper)), now],
        );
      }
      await tx.run(`SELECT pg_notify('${PAPERS_CHANNEL}', '')`);
    });
  }

  /** Of these papers, those the database does not have (by id). */
  async missing(papers: readonly Paper[]): Promise<Paper[]> {
    const known = new Set<string>();
    for (let at = 0; at < papers.length; at += BATCH) {
      const ids = papers.slice(at, at + BATCH).map((paper) => paper.id);
      for (const row of await this.sql.all<{ id: string }>(`SELECT id FROM papers WHERE id IN (${placeholders(ids.length)})`, ids)) known.add(row.id);
    }
    return papers.filter((paper) => !known.has(paper.id));
  }

  /** The papers published since the last call (all of them the first time), oldest first. */
  async next(logger: Logger): Promise<Paper[]> {
    const papers: Paper[] = [];
    for (let round = 0; round < 10_000; round++) {
      const rows = await this.sql.all<{ record: string; seq: number }>(`SELECT record, seq FROM papers WHERE seq > ? ORDER BY seq LIMIT ?`, [this.cursor, BATCH]);
      for (const row of rows) {
        const paper = recordToPaper(JSON.parse(row.record), "database");
        if (typeof paper === "string") logger.warn({ seq: row.seq, problem: paper }, "a shared paper could not be read; skipped");
        else papers.push(paper);
        this.cursor = row.seq;
      }
      if (rows.length < BATCH) break;
    }
    return papers;
  }
}
