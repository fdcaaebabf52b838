import { createHash } from "node:crypto";
import type { Sql } from "./sql.ts";

/**
 * Search queries by a short id, so that a button can carry a question of up to 1,000 characters in a
 * custom id of 100. The same query always gets the same id (a hash), so saving is idempotent; a query
 * not used for `keepMs` is forgotten, and its old buttons then say so.
 */
export class QueryStore {
  constructor(private readonly sql: Sql) {}

  /** The query's id ([A-Za-z0-9_-]{16}), saved if new (and marked used if not). */
  async save(query: string, now = Date.now()): Promise<string> {
    const id = queryId(query);
    await this.sql.run(`INSERT INTO search_queries (id, query, created_at, used_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET used_at = excluded.used_at`, [id, query, now, now]);
    return id;
  }

  /** The query saved under `id` (marked used now), if it is still kept. */
  async get(id: string, now = Date.now()): Promise<string | undefined> {
    const query = (await this.sql.get<{ query: string }>(`SELECT query FROM search_queries WHERE id = ?`, [id]))?.query;
    if (query !== undefined) await this.sql.run(`UPDATE search_queries SET used_at = ? WHERE id = ?`, [now, id]);
    return query;
  }

  /** Forgets queries unused since `before`; returns how many. */
  prune(before: number): Promise<number> {
    return this.sql.run(`DELETE FROM search_queries WHERE used_at < ?`, [before]);
  }
}

export const QUERY_ID = /^[A-Za-z0-9_-]{16}$/;

function queryId(query: string): string {
  return createHash("sha256").update(query).digest("base64url").slice(0, 16);
}
