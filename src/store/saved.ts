import type { Sql } from "./sql.ts";

/** The most papers one person may keep: an export of them all stays far under Discord's upload limit. */
export const MAX_SAVED = 1000;

/**
 * Each person's saved papers (the Save button, /saved), by paper id, newest first. A person's saves get
 * strictly increasing times (a save in the same millisecond as the last one is a millisecond later), so
 * "newest first" is the order they were saved in, with no tie for the database to break its own way.
 */
export class SavedPapers {
  constructor(private readonly sql: Sql) {}

  /** Saves a paper: "saved", "already" saved, or "full" at MAX_SAVED (nothing changed). */
  save(userId: string, paperId: string, now = Date.now()): Promise<"saved" | "already" | "full"> {
    return this.sql.transaction(async (tx) => {
      if (await tx.get(`SELECT 1 AS one FROM saved_papers WHERE user_id = ? AND paper_id = ?`, [userId, paperId])) return "already";
      const { count, last } = (await tx.get<{ count: number; last: number | null }>(`SELECT COUNT(*) AS count, MAX(saved_at) AS last FROM saved_papers WHERE user_id = ?`, [userId]))!;
      if (count >= MAX_SAVED) return "full";
      const savedAt = last === null ? now : Math.max(now, last + 1);
      const added = await tx.run(`INSERT INTO saved_papers (user_id, paper_id, saved_at) VALUES (?, ?, ?) ON CONFLICT (user_id, paper_id) DO NOTHING`, [userId, paperId, savedAt]);
      return added > 0 ? "saved" : "already";
    });
  }

  async remove(userId: string, paperId: string): Promise<boolean> {
    return (await this.sql.run(`DELETE FROM saved_papers WHERE user_id = ? AND paper_id = ?`, [userId, paperId])) > 0;
  }

  async count(userId: string): Promise<number> {
    return (await this.sql.get<{ count: number }>(`SELECT COUNT(*) AS count FROM saved_papers WHERE user_id = ?`, [userId]))!.count;
  }

  /** Saved paper ids, newest first (the last saved first). */
  async list(userId: string, offset = 0, limit = MAX_SAVED): Promise<string[]> {
    const rows = await this.sql.all<{ paper_id: string }>(`SELECT paper_id FROM saved_papers WHERE user_id = ? ORDER BY saved_at DESC, paper_id LIMIT ? OFFSET ?`, [userId, limit, offset]);
    return rows.map((row) => row.paper_id);
  }
}
