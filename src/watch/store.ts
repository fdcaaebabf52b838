import type { Database } from "../store/sqlite.ts";
import type { WatchHit } from "./match.ts";

/** A saved query whose new papers are sent to its owner (by DM) or to a server channel. */
export interface Watch {
  id: number;
  userId: string;
  /** The server it was made in (its limits count there); undefined when made in a DM. */
  guildId?: string;
  /** Where alerts go: this channel, or (undefined) the owner's DMs. */
  channelId?: string;
  query: string;
  status: "active" | "paused";
  pauseReason?: string;
  createdAt: number;
}

/** Where one alert message goes: "dm:<user id>" or "channel:<channel id>". */
export type Destination = `dm:${string}` | `channel:${string}`;
export const destinationOf = (watch: Pick<Watch, "userId" | "channelId">): Destination => (watch.channelId ? `channel:${watch.channelId}` : `dm:${watch.userId}`);

/** A claimed alert message: its papers are bound to it before it is sent (claim, then send). */
export interface Batch {
  id: number;
  destination: Destination;
  claimedAt: number;
  hits: Array<WatchHit & { query: string }>;
}

interface WatchRow {
  id: number;
  user_id: string;
  guild_id: string | null;
  channel_id: string | null;
  query: string;
  status: "active" | "paused";
  pause_reason: string | null;
  created_at: number;
}

const toWatch = (row: WatchRow): Watch => ({
  id: row.id,
  userId: row.user_id,
  guildId: row.guild_id ?? undefined,
  channelId: row.channel_id ?? undefined,
  query: row.query,
  status: row.status,
  pauseReason: row.pause_reason ?? undefined,
  createdAt: row.created_at,
});

/**
 * Watches and their delivery state in SQLite. Each (watch, paper) is a row once, whatever happens after:
 * a paper reaches a watch at most once. Papers the bot has seen are remembered, so that papers added while
 * it was down are told apart from the corpus it already had.
 */
export class WatchStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(db: Database.Database) {
    this.db = db;
    const destination = `CASE WHEN w.channel_id IS NULL THEN 'dm:' || w.user_id ELSE 'channel:' || w.channel_id END`;
    this.statements = {
      insert: db.prepare<[string, string | null, string | null, string, number]>(`INSERT INTO watches (user_id, guild_id, channel_id, query, created_at) VALUES (?, ?, ?, ?, ?)`),
      get: db.prepare<[number], WatchRow>(`SELECT * FROM watches WHERE id = ?`),
      byUser: db.prepare<[string], WatchRow>(`SELECT * FROM watches WHERE user_id = ? ORDER BY id`),
      byGuildChannel: db.prepare<[string], WatchRow>(`SELECT * FROM watches WHERE guild_id = ? AND channel_id IS NOT NULL ORDER BY id`),
      countByUser: db.prepare<[string], { count: number }>(`SELECT COUNT(*) AS count FROM watches WHERE user_id = ?`),
      countByGuild: db.prepare<[string], { count: number }>(`SELECT COUNT(*) AS count FROM watches WHERE guild_id = ?`),
      active: db.prepare<[], WatchRow>(`SELECT * FROM watches WHERE status = 'active' ORDER BY id`),
      all: db.prepare<[], WatchRow>(`SELECT * FROM watches ORDER BY id`),
      remove: db.prepare<[number]>(`DELETE FROM watches WHERE id = ?`),
      pause: db.prepare<[string, number]>(`UPDATE watches SET status = 'paused', pause_reason = ? WHERE id = ? AND status = 'active'`),
      resume: db.prepare<[number]>(`UPDATE watches SET status = 'active', pause_reason = NULL WHERE id = ?`),
      seenCount: db.prepare<[], { count: number }>(`SELECT COUNT(*) AS count FROM seen_papers`),
      seenIds: db.prepare<[], { paper_id: string }>(`SELECT paper_id FROM seen_papers`),
      markSeen: db.prepare<[string, number]>(`INSERT OR IGNORE INTO seen_papers (paper_id, first_seen_at) VALUES (?, ?)`),
      addHit: db.prepare<[number, string, string, number]>(`INSERT OR IGNORE INTO watch_hits (watch_id, paper_id, matched, found_at) VALUES (?, ?, ?, ?)`),
      waitingDestinations: db.prepare<[], { destination: Destination; waiting: number; guild_id: string | null }>(
        `SELECT ${destination} AS destination, COUNT(*) AS waiting, MIN(w.guild_id) AS guild_id FROM watch_hits h JOIN watches w ON w.id = h.watch_id
         WHERE h.batch_id IS NULL AND w.status = 'active' GROUP BY destination ORDER BY MIN(h.found_at)`,
      ),
      waitingFor: db.prepare<[number], { count: number }>(`SELECT COUNT(*) AS count FROM watch_hits WHERE watch_id = ? AND batch_id IS NULL`),
      newBatch: db.prepare<[Destination, number]>(`INSERT INTO watch_batches (destination, state, claimed_at) VALUES (?, 'claimed', ?)`),
      bindHits: db.prepare<[number, Destination]>(
        `UPDATE watch_hits SET batch_id = ? WHERE batch_id IS NULL AND watch_id IN (SELECT w.id FROM watches w WHERE w.status = 'active' AND ${destination} = ?)`,
      ),
      batchHits: db.prepare<[number], { watch_id: number; paper_id: string; matched: string; query: string }>(
        `SELECT h.watch_id, h.paper_id, h.matched, w.query FROM watch_hits h JOIN watches w ON w.id = h.watch_id WHERE h.batch_id = ? ORDER BY h.found_at, h.watch_id, h.paper_id`,
      ),
      claimed: db.prepare<[], { id: number; destination: Destination; claimed_at: number }>(`SELECT id, destination, claimed_at FROM watch_batches WHERE state = 'claimed' ORDER BY id`),
      finish: db.prepare<["sent" | "failed", number, string | null, string | null, number]>(
        `UPDATE watch_batches SET state = ?, finished_at = ?, message_id = ?, reason = ? WHERE id = ? AND state = 'claimed'`,
      ),
      release: db.prepare<[number]>(`UPDATE watch_hits SET batch_id = NULL WHERE batch_id = ?`),
      lastSent: db.prepare<[Destination], { at: number | null }>(`SELECT MAX(finished_at) AS at FROM watch_batches WHERE destination = ? AND state = 'sent'`),
    };
  }

  add(watch: { userId: string; guildId?: string; channelId?: string; query: string; createdAt: number }): Watch {
    const result = this.statements.insert.run(watch.userId, watch.guildId ?? null, watch.channelId ?? null, watch.query, watch.createdAt);
    return this.get(Number(result.lastInsertRowid))!;
  }

  get(id: number): Watch | undefined {
    const row = this.statements.get.get(id);
    return row && toWatch(row);
  }

  /** A person's own watches. */
  ofUser(userId: string): Watch[] {
    return this.statements.byUser.all(userId).map(toWatch);
  }

  /** The watches posting into a server's channels. */
  ofServerChannels(guildId: string): Watch[] {
    return this.statements.byGuildChannel.all(guildId).map(toWatch);
  }

  countOfUser(userId: string): number {
    return this.statements.countByUser.get(userId)!.count;
  }

  countInServer(guildId: string): number {
    return this.statements.countByGuild.get(guildId)!.count;
  }

  active(): Watch[] {
    return this.statements.active.all().map(toWatch);
  }

  /** Every watch, paused ones too: what a paused watch finds waits for it to resume. */
  all(): Watch[] {
    return this.statements.all.all().map(toWatch);
  }

  remove(id: number): boolean {
    return this.statements.remove.run(id).changes > 0;
  }

  pause(id: number, reason: string): void {
    this.statements.pause.run(reason, id);
  }

  resume(id: number): void {
    this.statements.resume.run(id);
  }

  /** Papers found for this watch and not sent yet. */
  waiting(watchId: number): number {
    return this.statements.waitingFor.get(watchId)!.count;
  }

  /** Whether the bot has ever noted the papers it has (false on its first start with watches). */
  hasSeenAny(): boolean {
    return this.statements.seenCount.get()!.count > 0;
  }

  /** Of these paper ids, those the bot has not seen before. */
  unseen(ids: readonly string[]): string[] {
    const seen = new Set(this.statements.seenIds.all().map((row) => row.paper_id));
    return ids.filter((id) => !seen.has(id));
  }

  /** In one transaction: the hits are recorded (each (watch, paper) once) and the papers noted as seen. */
  record(hits: readonly WatchHit[], seen: readonly string[], now: number): number {
    return this.db.transaction(() => {
      let added = 0;
      for (const hit of hits) added += this.statements.addHit.run(hit.watchId, hit.paperId, hit.matched, now).changes;
      for (const id of seen) this.statements.markSeen.run(id, now);
      return added;
    })();
  }

  /** Destinations with papers waiting to be sent (for active watches), the longest waiting first, with the server a channel is in. */
  waitingDestinations(): Array<{ destination: Destination; waiting: number; guildId?: string }> {
    return this.statements.waitingDestinations.all().map((row) => ({ destination: row.destination, waiting: row.waiting, guildId: row.guild_id ?? undefined }));
  }

  /** Binds every waiting paper of a destination's active watches to a new message, before it is sent. */
  claim(destination: Destination, now: number): Batch | undefined {
    return this.db.transaction(() => {
      const id = Number(this.statements.newBatch.run(destination, now).lastInsertRowid);
      if (this.statements.bindHits.run(id, destination).changes === 0) {
        this.statements.finish.run("failed", now, null, "nothing to send", id);
        return undefined;
      }
      return this.batch(id, destination, now);
    }).immediate();
  }

  /** Messages claimed and not known to be sent: after a crash, each is found in the channel or sent again. */
  unfinished(): Batch[] {
    return this.statements.claimed.all().map((row) => this.batch(row.id, row.destination, row.claimed_at));
  }

  sent(batchId: number, messageId: string, now: number): void {
    this.statements.finish.run("sent", now, messageId, null, batchId);
  }

  /** A message that cannot be sent: its papers wait for the next one (`release`) or are given up. */
  failed(batchId: number, reason: string, now: number, release: boolean): void {
    this.db.transaction(() => {
      this.statements.finish.run("failed", now, null, reason, batchId);
      if (release) this.statements.release.run(batchId);
    })();
  }

  /** When a message last reached this destination. */
  lastSent(destination: Destination): number | undefined {
    return this.statements.lastSent.get(destination)?.at ?? undefined;
  }

  private batch(id: number, destination: Destination, claimedAt: number): Batch {
    const hits = this.statements.batchHits.all(id).map((row) => ({ watchId: row.watch_id, paperId: row.paper_id, matched: row.matched, query: row.query }));
    return { id, destination, claimedAt, hits };
  }
}
