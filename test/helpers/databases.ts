import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject, onTestFinished } from "vitest";
import { PostgresSql } from "../../src/store/postgres.ts";
import type { Sql } from "../../src/store/sql.ts";
import { openSql } from "../../src/store/open.ts";

let databases = 0;

/** A new, empty PostgreSQL database on the test run's server (test/postgres-setup.ts), as a URL. */
export async function freshPostgresUrl(): Promise<string> {
  const admin = new URL(inject("postgresUrl"));
  const name = `t_${process.pid}_${++databases}_${Date.now() % 100_000}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  admin.pathname = `/${name}`;
  return admin.toString();
}

/**
 * The two databases every store runs on, for one shared suite: `describe.each(DATABASES)` and open a
 * fresh one per test with `open()` (closed when the test ends). "sqlite" is a new file; "postgres" a new
 * database on the real server.
 */
export const DATABASES = [
  { dialect: "sqlite", open: () => closedAfterTest(openSql({ DATABASE_PATH: join(mkdtempSync(join(tmpdir(), "paperbot-db-")), "bot.db") })) },
  { dialect: "postgres", open: async () => closedAfterTest(PostgresSql.connect(await freshPostgresUrl())) },
] as const;

/** The database, closed when the test that opened it ends. */
async function closedAfterTest(opening: Promise<Sql>): Promise<Sql> {
  const sql = await opening;
  onTestFinished(() => sql.close());
  return sql;
}
