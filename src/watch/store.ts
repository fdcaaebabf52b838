import { placeholders, type Sql } from "../store/sql.ts";
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
  /** The server of a channel destination (which process sends it, when sharded); undefined for DMs. */
  guildId?: string;
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

/** A watch's destination, computed in SQL (the watches table is `w`). */
const DESTINATION = `CASE WHEN w.channel_id IS NULL THEN 'dm:' || w.user_id ELSE 'channel:' || w.channel_id END`;

/** The watches (alias `w`) sending to a destination, as a condition and its one parameter: indexable, unlike DESTINATION = ?. */
function sendingTo(destination: Destination): { where: string; param: string } {
  return destination.startsWith("dm:") ? { where: "w.channel_id IS NULL AND w.user_id = ?", param: destination.slice(3) } : { where: "w.channel_id = ?", param: destination.slice("channel:".length) };
}

/** Ids per `IN (…)` lookup, rows per multi-row INSERT: far under both databases' parameter limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}

/**
 * Watches and their delivery state, in SQLite or PostgreSQL (src/store/sql.ts). Each (watch, paper) is a
 * row once, whatever happens after: a paper reaches a watch at most once. Papers the bot has seen are
 * remembered, so that papers added while it was down are told apart from the corpus it already had.
 * Claims are safe with several processes on one database: see `claim`.
 */
export class WatchStore {
  constructor(private readonly sql: Sql) {}

  async add(watch: { userId: string; guildId?: string; channelId?: string; query: string; createdAt: number }): Promise<Watch> {
    const row = await this.sql.get<WatchRow>(`INSERT INTO watches (user_id, guild_id, channel_id, query, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *`, [
      watch.userId,
      watch.guildId ?? null,
      watch.channelId ?? null,
      watch.query,
      watch.createdAt,
    ]);
    return toWatch(row!);
  }

  async get(id: number): Promise<Watch | undefined> {
    const row = await this.sql.get<WatchRow>(`SELECT * FROM watches WHERE id = ?`, [id]);
    return row && toWatch(row);
  }

  /** A person's own watches, oldest first. */
  async ofUser(userId: string): Promise<Watch[]> {
    return (await this.sql.all<WatchRow>(`SELECT * FROM watches WHERE user_id = ? ORDER BY id`, [userId])).map(toWatch);
  }

  /** The watches posting into a server's channels, oldest first. */
  async ofServerChannels(guildId: string): Promise<Watch[]> {
    return (await this.sql.all<WatchRow>(`SELECT * FROM watches WHERE guild_id = ? AND channel_id IS NOT NULL ORDER BY id`, [guildId])).map(toWatch);
  }

  async countOfUser(userId: string): Promise<number> {
    return (await this.sql.get<{ count: number }>(`SELECT COUNT(*) AS count FROM watches WHERE user_id = ?`, [userId]))!.count;
  }

  async countInServer(guildId: string): Promise<number> {
    return (await this.sql.get<{ count: number }>(`SELECT COUNT(*) AS count FROM watches WHERE guild_id = ?`, [guildId]))!.count;
  }

  async active(): Promise<Watch[]> {
    return (await this.sql.all<WatchRow>(`SELECT * FROM watches WHERE status = 'active' ORDER BY id`)).map(toWatch);
  }

  /** Every watch, paused ones too: what a paused watch finds waits for it to resume. */
  async all(): Promise<Watch[]> {
    return (await this.sql.all<WatchRow>(`SELECT * FROM watches ORDER BY id`)).map(toWatch);
  }

  async remove(id: number): Promise<boolean> {
    return (await this.sql.run(`DELETE FROM watches WHERE id = ?`, [id])) > 0;
  }

  async pause(id: number, reason: string): Promise<void> {
    await this.sql.run(`UPDATE watches SET status = 'paused', pause_reason = ? WHERE id = ? AND status = 'active'`, [reason, id]);
  }

  /** Pauses every active watch sending to a destination, with the reason; returns how many. */
  async pauseDestination(destination: Destination, reason: string): Promise<number> {
    const { where, param } = sendingTo(destination);
    return this.sql.run(`UPDATE watches SET status = 'paused', pause_reason = ? WHERE status = 'active' AND id IN (SELECT w.id FROM watches w WHERE ${where})`, [reason, param]);
  }

  /** Active again; false when there is no such watch. */
  async resume(id: number): Promise<boolean> {
    return (await this.sql.run(`UPDATE watches SET status = 'active', pause_reason = NULL WHERE id = ?`, [id])) > 0;
  }

  /** Papers found for this watch and not sent yet. */
  async waiting(watchId: number): Promise<number> {
    return (await this.sql.get<{ count: number }>(`SELECT COUNT(*) AS count FROM watch_hits WHERE watch_id = ? AND batch_id IS NULL`, [watchId]))!.count;
  }

  /** Whether the bot has ever noted the papers it has (false on its first start with watches). */
  async hasSeenAny(): Promise<boolean> {
    return (await this.sql.get(`SELECT 1 AS one FROM seen_papers LIMIT 1`)) !== undefined;
  }

  /** Of these paper ids, those the bot has not seen before (in their order, each once). */
  async unseen(ids: readonly string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const seen = new Set<string>();
    for (const chunk of chunks(unique)) {
      for (const row of await this.sql.all<{ paper_id: string }>(`SELECT paper_id FROM seen_papers WHERE paper_id IN (${placeholders(chunk.length)})`, chunk)) seen.add(row.paper_id);
    }
    return unique.filter((id) => !seen.has(id));
  }

  /** In one transaction: the hits are recorded (each (watch, paper) once, ever) and the papers noted as seen. Returns the hits new to the database. */
  async record(hits: readonly WatchHit[], seen: readonly string[], now: number): Promise<number> {
    const uniqueHits = [...new Map(hits.map((hit) => [`${hit.watchId} ${hit.paperId}`, hit])).values()];
    const uniqueSeen = [...new Set(seen)];
    return this.sql.transaction(async (tx) => {
      let added = 0;
      for (const chunk of chunks(uniqueHits, CHUNK / 2)) {
        added += await tx.run(
          `INSERT INTO watch_hits (watch_id, paper_id, matched, found_at) VALUES ${chunk.map(() => "(?, ?, ?, ?)").join(", ")} ON CONFLICT (watch_id, paper_id) DO NOTHING`,
          chunk.flatMap((hit) => [hit.watchId, hit.paperId, hit.matched, now]),
        );
      }
      for (const chunk of chunks(uniqueSeen)) {
        await tx.run(`INSERT INTO seen_papers (paper_id, first_seen_at) VALUES ${chunk.map(() => "(?, ?)").join(", ")} ON CONFLICT (paper_id) DO NOTHING`, chunk.flatMap((id) => [id, now]));
      }
      return added;
    });
  }

  /** Destinations with papers waiting to be sent (for active watches), the longest waiting first, with the server a channel is in. */
  async waitingDestinations(): Promise<Array<{ destination: Destination; waiting: number; guildId?: string }>> {
    const rows = await this.sql.all<{ destination: Destination; waiting: number; guild_id: string | null }>(
      `SELECT ${DESTINATION} AS destination, COUNT(*) AS waiting, MIN(w.guild_id) AS guild_id FROM watch_hits h JOIN watches w ON w.id = h.watch_id
       WHERE h.batch_id IS NULL AND w.status = 'active' GROUP BY ${DESTINATION} ORDER BY MIN(h.found_at), MIN(w.id)`,
    );
    return rows.map((row) => ({ destination: row.destination, waiting: row.waiting, guildId: row.guild_id ?? undefined }));
  }

  /**
   * Binds every waiting paper of a destination's active watches to a new message, before it is sent; none
   * (undefined) when nothing waits, when a message claimed for the destination is not finished, or when
   * one was sent (or claimed) less than `quietMs` ago. One transaction, safe with several processes on one
   * PostgreSQL: its first statement write-locks the destination's watches, so a second claim for the same
   * destination waits for the first to commit and then sees its batch; and the binding UPDATE only takes
   * hits whose batch_id is still NULL (PostgreSQL re-checks that after waiting for a concurrent updater).
   */
  async claim(destination: Destination, now: number, options: { quietMs?: number } = {}): Promise<Batch | undefined> {
    const { where, param } = sendingTo(destination);
    return this.sql.transaction(async (tx) => {
      // A write that changes nothing, for its row locks (SQLite's BEGIN IMMEDIATE already holds the database).
      const watches = await tx.run(`UPDATE watches SET status = status WHERE status = 'active' AND id IN (SELECT w.id FROM watches w WHERE ${where})`, [param]);
      if (watches === 0) return undefined;
      if (await tx.get(`SELECT id FROM watch_batches WHERE destination = ? AND state = 'claimed' LIMIT 1`, [destination])) return undefined;
      if (options.quietMs) {
        const last = await lastSentBy(tx, destination);
        if (last !== undefined && now - last < options.quietMs) return undefined;
      }
      const id = (await tx.get<{ id: number }>(`INSERT INTO watch_batches (destination, state, claimed_at) VALUES (?, 'claimed', ?) RETURNING id`, [destination, now]))!.id;
      const bound = await tx.run(`UPDATE watch_hits SET batch_id = ? WHERE batch_id IS NULL AND watch_id IN (SELECT w.id FROM watches w WHERE w.status = 'active' AND ${where})`, [id, param]);
      if (bound === 0) {
        await tx.run(`DELETE FROM watch_batches WHERE id = ?`, [id]);
        return undefined;
      }
      return batchOf(tx, id, destination, now);
    });
  }

  /** Messages claimed and not known to be sent, oldest first: after a crash, each is found in the channel or sent again. */
  async unfinished(): Promise<Batch[]> {
    const rows = await this.sql.all<{ id: number; destination: Destination; claimed_at: number }>(`SELECT id, destination, claimed_at FROM watch_batches WHERE state = 'claimed' ORDER BY id`);
    const batches: Batch[] = [];
    for (const row of rows) batches.push(await batchOf(this.sql, row.id, row.destination, row.claimed_at));
    return batches;
  }

  async sent(batchId: number, messageId: string, now: number): Promise<void> {
    await this.sql.run(`UPDATE watch_batches SET state = 'sent', finished_at = ?, message_id = ? WHERE id = ? AND state = 'claimed'`, [now, messageId, batchId]);
  }

  /** A message that cannot be sent: its papers wait for the next one (`release`) or are given up. */
  async failed(batchId: number, reason: string, now: number, release: boolean): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const finished = await tx.run(`UPDATE watch_batches SET state = 'failed', finished_at = ?, reason = ? WHERE id = ? AND state = 'claimed'`, [now, reason, batchId]);
      if (finished > 0 && release) await tx.run(`UPDATE watch_hits SET batch_id = NULL WHERE batch_id = ?`, [batchId]);
    });
  }

  /** When a message last reached this destination, or may have: a claimed one not known to be sent counts from its claim. */
  lastSent(destination: Destination): Promise<number | undefined> {
    return lastSentBy(this.sql, destination);
  }
}

async function lastSentBy(sql: Sql, destination: Destination): Promise<number | undefined> {
  const sent = await sql.get<{ at: number }>(`SELECT finished_at AS at FROM watch_batches WHERE destination = ? AND state = 'sent' ORDER BY finished_at DESC LIMIT 1`, [destination]);
  const claimed = await sql.get<{ at: number }>(`SELECT claimed_at AS at FROM watch_batches WHERE destination = ? AND state = 'claimed' ORDER BY claimed_at DESC LIMIT 1`, [destination]);
  const times = [sent?.at, claimed?.at].filter((at): at is number => at !== undefined && at !== null).map(Number);
  return times.length ? Math.max(...times) : undefined;
}

async function batchOf(sql: Sql, id: number, destination: Destination, claimedAt: number): Promise<Batch> {
  const rows = await sql.all<{ watch_id: number; paper_id: string; matched: string; query: string; guild_id: string | null }>(
    `SELECT h.watch_id, h.paper_id, h.matched, w.query, w.guild_id FROM watch_hits h JOIN watches w ON w.id = h.watch_id WHERE h.batch_id = ? ORDER BY h.found_at, h.watch_id, h.paper_id`,
    [id],
  );
  const hits = rows.map((row) => ({ watchId: row.watch_id, paperId: row.paper_id, matched: row.matched, query: row.query }));
  const guildId = destination.startsWith("channel:") ? (rows.find((row) => row.guild_id)?.guild_id ?? undefined) : undefined;
  return { id, destination, claimedAt, guildId, hits };
}
