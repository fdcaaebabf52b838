import { PostgresSql } from "./postgres.ts";
import type { Sql } from "./sql.ts";
import { openDatabase, StoreError } from "./sqlite.ts";
import { SqliteSql } from "./sqlite-sql.ts";

/**
 * The bot's database: PostgreSQL when DATABASE_URL is set (the shared state of a sharded bot on many
 * machines), else the SQLite file at DATABASE_PATH (the zero-configuration default).
 */
export async function openSql(config: { DATABASE_URL?: string; DATABASE_PATH: string; DATABASE_POOL_SIZE?: number }): Promise<Sql> {
  if (!config.DATABASE_URL) return new SqliteSql(openDatabase(config.DATABASE_PATH));
  try {
    return await PostgresSql.connect(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE });
  } catch (error) {
    throw new StoreError(`Cannot use the database at DATABASE_URL ${withoutPassword(config.DATABASE_URL)}: ${(error as Error).message}. Check that PostgreSQL runs there and the user may connect.`, { cause: error });
  }
}

/** The URL as it may be logged: the password replaced. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable URL)";
  }
}
