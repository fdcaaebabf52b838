/**
 * The one way paperbot's stores talk to their database, SQLite or PostgreSQL: parameters as `?`, rows as
 * plain objects, integers as numbers, and transactions that either commit whole or not at all. Each store
 * (digests, watches, saved papers, saved queries, papers) is written once against this, in SQL both
 * databases read alike (`INSERT … ON CONFLICT DO NOTHING`, `RETURNING`); only the schemas differ.
 */
export interface Sql {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** A write; resolves with how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * Runs `work` in one transaction on one connection, committed when it resolves and rolled back when it
   * throws. SQLite takes the write lock at the start (BEGIN IMMEDIATE); PostgreSQL relies on unique keys
   * and row locks, so a claim made in it is made by one process only. Calls inside use `tx`.
   */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `?, ?, ?` for a list of n values (an `IN (…)` of known length). */
export const placeholders = (count: number) => Array.from({ length: count }, () => "?").join(", ");
