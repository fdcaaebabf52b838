import { createHash } from "node:crypto";
import type { Database } from "./sqlite.ts";

/**
 * Search queries by a short id, so that a button can carry a question of up to 1,000 characters in a
 * custom id of 100. The same query always gets the same id (a hash), so saving is idempotent; a query
 * not used for `keepMs` is forgotten, and its old buttons then say so.
 */
export class QueryStore {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      save: db.prepare<[string, string, number, number]>(
        `INSERT INTO search_queries (id, query, created_at, used_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET used_at = excluded.used_at`,
      ),
      get: db.prepare<[string], { query: string }>(`SELECT query FROM search_queries WHERE id = ?`),
      touch: db.prepare<[number, string]>(`UPDATE search_queries SET used_at = ? WHERE id = ?`),
      prune: db.prepare<[number]>(`DELETE FROM search_queries WHERE used_at < ?`),
    };
  }

  /** The query's id ([A-Za-z0-9_-]{16}), saved if new. */
  save(query: string, now = Date.now()): string {
    const id = queryId(query);
    this.statements.save.run(id, query, now, now);
    return id;
  }

  get(id: string, now = Date.now()): string | undefined {
    const query = this.statements.get.get(id)?.query;
    if (query !== undefined) this.statements.touch.run(now, id);
    return query;
  }

  /** Forgets queries unused since `before`; returns how many. */
  prune(before: number): number {
    return this.statements.prune.run(before).changes;
  }
}

export const QUERY_ID = /^[A-Za-z0-9_-]{16}$/;

function queryId(query: string): string {
  return createHash("sha256").update(query).digest("base64url").slice(0, 16);
}
