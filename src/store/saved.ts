import type { Database } from "./sqlite.ts";

/** The most papers one person may keep: an export of them all stays far under Discord's upload limit. */
export const MAX_SAVED = 1000;

/** Each person's saved papers (the Save button, /saved), by paper id, newest first. */
export class SavedPapers {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      save: db.prepare<[string, string, number]>(`INSERT OR IGNORE INTO saved_papers (user_id, paper_id, saved_at) VALUES (?, ?, ?)`),
      has: db.prepare<[string, string], { one: number }>(`SELECT 1 AS one FROM saved_papers WHERE user_id = ? AND paper_id = ?`),
      remove: db.prepare<[string, string]>(`DELETE FROM saved_papers WHERE user_id = ? AND paper_id = ?`),
      count: db.prepare<[string], { count: number }>(`SELECT COUNT(*) AS count FROM saved_papers WHERE user_id = ?`),
      list: db.prepare<[string, number, number], { paper_id: string }>(`SELECT paper_id FROM saved_papers WHERE user_id = ? ORDER BY saved_at DESC, paper_id LIMIT ? OFFSET ?`),
    };
  }

  /** Saves a paper: "saved", "already" saved, or "full" at MAX_SAVED (nothing changed). */
  save(userId: string, paperId: string, now = Date.now()): "saved" | "already" | "full" {
    if (this.statements.has.get(userId, paperId)) return "already";
    if (this.count(userId) >= MAX_SAVED) return "full";
    this.statements.save.run(userId, paperId, now);
    return "saved";
  }

  remove(userId: string, paperId: string): boolean {
    return this.statements.remove.run(userId, paperId).changes > 0;
  }

  count(userId: string): number {
    return this.statements.count.get(userId)!.count;
  }

  /** Saved paper ids, newest first. */
  list(userId: string, offset = 0, limit = MAX_SAVED): string[] {
    return this.statements.list.all(userId, limit, offset).map((row) => row.paper_id);
  }
}
