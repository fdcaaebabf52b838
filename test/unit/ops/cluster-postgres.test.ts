import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { Leadership } from "../../../src/cluster/leadership.ts";
import { PaperFeed } from "../../../src/cluster/paper-feed.ts";
import { ClusterSync } from "../../../src/cluster/sync.ts";
import { SearchEngine } from "../../../src/search/engine.ts";
import { PostgresSql } from "../../../src/store/postgres.ts";
import { freshPostgresUrl } from "../../helpers/databases.ts";
import { paper } from "../../helpers/papers.ts";
import { until } from "../../helpers/until.ts";

const logger = pino({ level: "silent" });
const closing: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close().catch(() => undefined);
});
let processes = 0;
/** A connection pool as one process of the bot has, named like one (another host:pid). */
async function connect(url: string): Promise<PostgresSql> {
  const sql = await PostgresSql.connect(url, { name: `test-host:${++processes}` });
  closing.push(() => sql.close());
  return sql;
}

describe("the ingest leader", () => {
  it("is one process at a time, and another takes over when it dies", async () => {
    const url = await freshPostgresUrl();
    const [a, b] = [await connect(url), await connect(url)];
    const [first, second] = [new Leadership(a, logger, 50), new Leadership(b, logger, 50)];
    closing.push(() => first.stop(), () => second.stop());
    await first.start();
    await second.start();
    expect([first.isLeader, second.isLeader]).toEqual([true, false]);
    const holder = await second.holder();
    expect(holder).toMatch(/^paperbot test-host:\d+$/);
    // The leader's process dies: PostgreSQL ends its connections, and with them its lock.
    await b.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ? AND datname = current_database()", [holder]);
    await until("the other process to lead", () => second.isLeader, 5000);
    expect(await second.holder()).not.toBe(holder);
  });
});

describe("a PostgreSQL connection lost mid-transaction", () => {
  it("fails that transaction and nothing else: no uncaught error, and the next one works (review finding)", async () => {
    const sql = await connect(await freshPostgresUrl());
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", record);
    try {
      await expect(sql.transaction(async (tx) => tx.run("SELECT pg_terminate_backend(pg_backend_pid())"))).rejects.toThrow();
      expect(await sql.get<{ one: number }>("SELECT 1 AS one")).toEqual({ one: 1 });
      await new Promise((resolve) => setImmediate(resolve));
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", record);
    }
  });
});

describe("shared papers", () => {
  it("reach every process in order of publication, an update too", async () => {
    const url = await freshPostgresUrl();
    const [a, b] = [await connect(url), await connect(url)];
    const [writer, reader] = [new PaperFeed(a), new PaperFeed(b)];
    await writer.publish([paper({ id: "p1", title: "First" }), paper({ id: "p2", title: "Second" })], 1);
    expect((await reader.next(logger)).map((p) => p.id)).toEqual(["p1", "p2"]);
    expect(await reader.next(logger)).toEqual([]);
    await writer.publish([paper({ id: "p1", title: "First, revised", upvotes: 9 })], 2);
    expect(await reader.next(logger)).toMatchObject([{ id: "p1", title: "First, revised", upvotes: 9 }]);
  });

  it("left behind by a process stopped between storing and publishing them, are published at its next start", async () => {
    const url = await freshPostgresUrl();
    const sync = new ClusterSync(await connect(url), new SearchEngine([]), logger);
    await sync.publish([paper({ id: "p1", title: "Published" })]);
    const local = [paper({ id: "p1", title: "Published" }), paper({ id: "p2", title: "Stored, never published" })];
    expect(await sync.publishLeftBehind(local)).toBe(1);
    expect(await sync.publishLeftBehind(local)).toBe(0);
    const reader = new PaperFeed(await connect(url));
    expect((await reader.next(logger)).map((p) => p.id)).toEqual(["p1", "p2"]);
  });

  it("are searchable in another process within a second of publication, without a restart", async () => {
    const url = await freshPostgresUrl();
    const [a, b] = [await connect(url), await connect(url)];
    const leader = new ClusterSync(a, new SearchEngine([]), logger);
    const followerEngine = new SearchEngine([paper({ title: "Old paper" })]);
    const follower = new ClusterSync(b, followerEngine, logger);
    const arrived: string[] = [];
    follower.onArrival(async (papers) => arrived.push(...papers.map((p) => p.id)));
    closing.push(() => leader.stop(), () => follower.stop());
    await leader.start();
    await follower.start();
    const started = Date.now();
    await leader.publish([paper({ id: "2408.01234", title: "Sparse attention routers" })]);
    await until("the follower to find the paper", () => followerEngine.search("sparse attention routers").hits.length > 0, 5000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(arrived).toEqual(["2408.01234"]);
    // The follower's notification connection breaks: polling finds the next paper, and it listens again.
    await a.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()");
    await leader.publish([paper({ id: "2408.05678", title: "Quiet planners for embodied agents" })]);
    await until("the follower to find the paper after losing its notifications", () => followerEngine.search("quiet planners embodied").hits.length > 0, 10_000);
    // A process starting later catches up before it serves.
    const late = new ClusterSync(await connect(url), new SearchEngine([]), logger);
    expect(await late.catchUp()).toBe(2);
  });
});
