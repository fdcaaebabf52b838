import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SCHEMA_VERSION } from "../../../src/store/schema.ts";
import { StoreError } from "../../../src/store/sqlite.ts";
import { DigestStore, slotNonce, type NewSubscription } from "../../../src/digest/store.ts";
import { PostgresSql } from "../../../src/store/postgres.ts";
import { DATABASES, freshPostgresUrl } from "../../helpers/databases.ts";

let dir: string;
const open: Array<{ close(): unknown }> = [];
const track = <T extends { close(): unknown }>(handle: T): T => (open.push(handle), handle);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "paperbot-digest-"));
});
afterEach(async () => {
  for (const handle of open.splice(0)) await handle.close();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 2, 1, 8, 0);
function input(overrides: Partial<NewSubscription> = {}): NewSubscription {
  return {
    guildId: "g1",
    channelId: "c1",
    schedule: { time: "09:00", timezone: "Europe/Berlin", days: [] },
    count: 5,
    topics: "",
    cycle: false,
    nextRunAt: T0,
    createdBy: "u1",
    createdAt: T0 - 1000,
    ...overrides,
  };
}
function claim(store: DigestStore, subscriptionId: number, slotKey: string, paperIds = ["p1", "p2"], claimedAt = T0) {
  return store.claimSlot({ subscriptionId, slotKey, scheduledAt: T0, nonce: slotNonce(subscriptionId, slotKey), paperIds, claimedAt });
}

describe("opening", () => {
  it("creates the file, its directory and the schema on first start; reopening keeps the data", async () => {
    const path = join(dir, "nested", "deeper", "paperbot.db");
    const store = DigestStore.open(path);
    expect(existsSync(path)).toBe(true);
    const added = await store.addSubscription(input({ schedule: { time: "07:30", timezone: "Pacific/Auckland", days: [5, 1] }, topics: "diffusion -survey", cycle: true }));
    await claim(store, added.id, "2026-03-01");
    await store.markSent(added.id, "2026-03-01", "m1", T0 + 5);
    await claim(store, added.id, "2026-03-02");
    await store.close();

    const raw = track(new Database(path, { readonly: true }));
    expect(raw.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(["posted_papers", "slots", "subscriptions"]));
    raw.close();

    const reopened = track(DigestStore.open(path));
    expect(await reopened.getSubscription(added.id)).toEqual({ ...added, lastPostAt: T0 + 5, lastResult: "posted 2 papers" });
    expect((await reopened.getSubscription(added.id))?.schedule).toEqual({ time: "07:30", timezone: "Pacific/Auckland", days: [1, 5] });
    expect(await reopened.postedPaperIds(added.id)).toEqual(["p1", "p2"]);
    expect((await reopened.unfinishedSlots()).map((slot) => slot.slotKey)).toEqual(["2026-03-02"]);
    // Ids are never reused, even after a removal.
    expect(await reopened.removeSubscription("g1", added.id)).toBe(true);
    expect((await reopened.addSubscription(input())).id).toBe(added.id + 1);
  });

  it("turns foreign keys on", async () => {
    const store = track(DigestStore.open(":memory:"));
    await expect(claim(store, 999, "2026-03-01")).rejects.toThrow(/FOREIGN KEY|foreign key/);
  });

  it("refuses a file that is not a database, naming the path", async () => {
    for (const [name, content] of [["random.db", randomBytes(8192)], ["text.db", "this is not a database\n".repeat(200)]] as const) {
      const path = join(dir, name);
      writeFileSync(path, content);
      let error: unknown;
      try {
        DigestStore.open(path);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toMatch(/corrupt or not a SQLite database.*Move it aside/);
      expect((error as StoreError).path).toBe(path);
    }
  });

  it("refuses a damaged database", async () => {
    const path = join(dir, "damaged.db");
    const store = DigestStore.open(path);
    for (let i = 0; i < 50; i++) await store.addSubscription(input({ guildId: `g${i}`, topics: "x".repeat(500) }));
    await store.close();
    // Keep the 100-byte header, overwrite the schema page and what follows.
    const fd = openSync(path, "r+");
    writeSync(fd, randomBytes(16_384), 0, 16_384, 100);
    closeSync(fd);
    expect(() => DigestStore.open(path)).toThrow(StoreError);
    expect(() => DigestStore.open(path)).toThrow(path);
  });

  it("refuses a file locked by another connection (a new file, rollback journal)", async () => {
    const path = join(dir, "locked.db");
    const other = track(new Database(path, { timeout: 10 }));
    other.exec("CREATE TABLE other (x); BEGIN EXCLUSIVE; INSERT INTO other VALUES (1);");
    expect(() => DigestStore.open(path, { busyTimeoutMs: 20 })).toThrow(StoreError);
    expect(() => DigestStore.open(path, { busyTimeoutMs: 20 })).toThrow(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*locked by another process`));
    other.exec("ROLLBACK");
    track(DigestStore.open(path, { busyTimeoutMs: 20 }));
  });

  it("refuses a database in WAL mode whose write lock another connection holds", async () => {
    const path = join(dir, "wal-locked.db");
    await DigestStore.open(path).close();
    const other = track(new Database(path, { timeout: 10 }));
    other.exec("BEGIN EXCLUSIVE; INSERT INTO subscriptions (guild_id, channel_id, time, timezone, count, next_run_at, created_by, created_at) VALUES ('g', 'c', '09:00', 'UTC', 1, 0, 'u', 0);");
    expect(() => DigestStore.open(path, { busyTimeoutMs: 20 })).toThrow(/locked by another process/);
    other.exec("COMMIT");
    expect(await track(DigestStore.open(path, { busyTimeoutMs: 20 })).listSubscriptions("g")).toHaveLength(1);
  });

  it("refuses a database from a newer version", async () => {
    const path = join(dir, "newer.db");
    await DigestStore.open(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => DigestStore.open(path)).toThrow(/newer paperbot/);
  });

  it("refuses a path it cannot create", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    expect(() => DigestStore.open(join(file, "paperbot.db"))).toThrow(StoreError);
    mkdirSync(join(dir, "a-dir.db"));
    expect(() => DigestStore.open(join(dir, "a-dir.db"))).toThrow(StoreError);
  });
});

describe.each(DATABASES)("subscriptions on $dialect", ({ open: openDb }) => {
  const memory = async () => track(new DigestStore(await openDb()));

  it("adds, gets and lists per guild", async () => {
    const store = await memory();
    const first = await store.addSubscription(input());
    expect(first).toEqual({ ...input(), id: first.id, sort: "newest", status: "active", nothingNewNotified: false, pauseReason: undefined, lastPostAt: undefined, lastResult: undefined });
    const other = await memory();
    expect((await other.getSubscription((await other.addSubscription(input({ sort: "upvotes" }))).id))?.sort).toBe("upvotes");
    const second = await store.addSubscription(input({ channelId: "c2" }));
    await store.addSubscription(input({ guildId: "g2" }));
    expect((await store.listSubscriptions("g1")).map((sub) => sub.id)).toEqual([first.id, second.id]);
    expect(await store.listSubscriptions("nobody")).toEqual([]);
    expect(await store.getSubscription(12345)).toBeUndefined();
  });

  it("removes only within the guild, with its slots and history", async () => {
    const store = await memory();
    const sub = await store.addSubscription(input());
    const keep = await store.addSubscription(input());
    await claim(store, sub.id, "2026-03-01");
    await store.markSent(sub.id, "2026-03-01", "m1", T0);
    await claim(store, sub.id, "2026-03-02");
    await claim(store, keep.id, "2026-03-02");
    expect(await store.removeSubscription("g2", sub.id)).toBe(false);
    expect(await store.getSubscription(sub.id)).toBeDefined();
    expect(await store.removeSubscription("g1", sub.id)).toBe(true);
    expect(await store.removeSubscription("g1", sub.id)).toBe(false);
    expect(await store.getSubscription(sub.id)).toBeUndefined();
    expect(await store.postedPaperIds(sub.id)).toEqual([]);
    expect(await store.getSlot(sub.id, "2026-03-01")).toBeUndefined();
    expect((await store.unfinishedSlots()).map((slot) => slot.subscriptionId)).toEqual([keep.id]);
  });

  it("lists due subscriptions, earliest first, active only", async () => {
    const store = await memory();
    const late = await store.addSubscription(input({ nextRunAt: T0 + 3000 }));
    const early = await store.addSubscription(input({ nextRunAt: T0 + 1000 }));
    const future = await store.addSubscription(input({ nextRunAt: T0 + 10_000 }));
    const paused = await store.addSubscription(input({ nextRunAt: T0 }));
    await store.pause(paused.id, "Missing Access (50001)");
    expect((await store.dueSubscriptions(T0 + 3000)).map((sub) => sub.id)).toEqual([early.id, late.id]);
    expect(await store.dueSubscriptions(T0 + 999)).toEqual([]);
    expect((await store.allActive()).map((sub) => sub.id)).toEqual([early.id, late.id, future.id]);
    await store.setNextRun(late.id, T0 + 500);
    expect((await store.dueSubscriptions(T0 + 3000)).map((sub) => sub.id)).toEqual([late.id, early.id]);
  });

  it("pauses with a reason and resumes", async () => {
    const store = await memory();
    const sub = await store.addSubscription(input());
    await store.pause(sub.id, "Missing Permissions (50013)");
    expect(await store.getSubscription(sub.id)).toMatchObject({ status: "paused", pauseReason: "Missing Permissions (50013)" });
    expect(await store.dueSubscriptions(T0 + 1)).toEqual([]);
    await store.resume(sub.id);
    expect(await store.getSubscription(sub.id)).toMatchObject({ status: "active", pauseReason: undefined, nextRunAt: T0 });
    expect((await store.dueSubscriptions(T0 + 1)).map((s) => s.id)).toEqual([sub.id]);
  });

  it("records what the last slot did, and whether nothing-new was said", async () => {
    const store = await memory();
    const sub = await store.addSubscription(input());
    await claim(store, sub.id, "2026-03-01", []);
    await store.markSent(sub.id, "2026-03-01", "m1", T0);
    expect(await store.getSubscription(sub.id)).toMatchObject({ lastResult: "posted: nothing new", nothingNewNotified: true });
    // A post with papers re-arms the nothing-new notice.
    await claim(store, sub.id, "2026-03-02", ["p1"]);
    await store.markSent(sub.id, "2026-03-02", "m2", T0 + 1);
    expect(await store.getSubscription(sub.id)).toMatchObject({ lastResult: "posted 1 paper", nothingNewNotified: false, lastPostAt: T0 + 1 });
    await claim(store, sub.id, "2026-03-03");
    await store.markFinished(sub.id, "2026-03-03", "failed", "Missing Access", T0 + 2);
    expect(await store.getSubscription(sub.id)).toMatchObject({ lastResult: "failed: Missing Access", lastPostAt: T0 + 1 });
    await claim(store, sub.id, "2026-03-04");
    await store.markFinished(sub.id, "2026-03-04", "skipped", "missed", T0 + 3);
    expect((await store.getSubscription(sub.id))?.lastResult).toBe("failed: Missing Access");
  });

  it("removes a subscription's slots and history with it, and only in its own server", async () => {
    const store = await memory();
    const sub = await store.addSubscription(input());
    await claim(store, sub.id, "2026-03-01");
    await store.markSent(sub.id, "2026-03-01", "m1", T0);
    expect(await store.removeSubscription("another-guild", sub.id)).toBe(false);
    expect(await store.removeSubscription(sub.guildId, sub.id)).toBe(true);
    expect(await store.getSlot(sub.id, "2026-03-01")).toBeUndefined();
    expect(await store.postedPaperIds(sub.id)).toEqual([]);
  });
});

describe.each(DATABASES)("slots on $dialect", ({ dialect, open: openDb }) => {
  const memory = async () => track(new DigestStore(await openDb()));

  it("claims a slot once: the second claim gets the first's slot", async () => {
    const store = await memory();
    const sub = await store.addSubscription(input());
    const first = await claim(store, sub.id, "2026-03-01", ["a", "b"], T0);
    expect(first.claimedNow).toBe(true);
    expect(first.slot).toEqual({
      subscriptionId: sub.id,
      slotKey: "2026-03-01",
      scheduledAt: T0,
      state: "claimed",
      nonce: slotNonce(sub.id, "2026-03-01"),
      paperIds: ["a", "b"],
      claimedAt: T0,
      messageId: undefined,
      finishedAt: undefined,
      reason: undefined,
    });
    const second = await claim(store, sub.id, "2026-03-01", ["c"], T0 + 60_000);
    expect(second.claimedNow).toBe(false);
    expect(second.slot).toEqual(first.slot);
    // A claim on another connection to the same file sees it too (a restarted process).
    expect((await claim(store, sub.id, "2026-03-02")).claimedNow).toBe(true);
  });

  it("is exactly once across two connections to one database (two processes), even claiming at the same moment", async () => {
    const url = dialect === "postgres" ? await freshPostgresUrl() : join(dir, "shared.db");
    const connect = async () => track(dialect === "postgres" ? new DigestStore(await PostgresSql.connect(url)) : DigestStore.open(url));
    const [a, b] = [await connect(), await connect()];
    const sub = await a.addSubscription(input());
    // Two processes on Postgres claim at once; SQLite connections in one thread take turns (a waiting
    // BEGIN IMMEDIATE blocks the thread the holder needs to commit).
    const claims = [() => claim(a, sub.id, "2026-03-01", ["a"]), () => claim(b, sub.id, "2026-03-01", ["b"])];
    const both = dialect === "postgres" ? await Promise.all(claims.map((run) => run())) : [await claims[0]!(), await claims[1]!()];
    expect(both.map((result) => result.claimedNow).sort()).toEqual([false, true]);
    expect(both[0]!.slot).toEqual(both[1]!.slot);
    expect((await claim(b, sub.id, "2026-03-01")).claimedNow).toBe(false);
  });

  it("marks a slot sent: message id, posted papers in order, lastPostAt", async () => {
    const store = await memory();
    const sub = await store.addSubscription(input());
    await claim(store, sub.id, "2026-03-01", ["p3", "p1", "p2"]);
    await store.markSent(sub.id, "2026-03-01", "msg-1", T0 + 100);
    expect(await store.getSlot(sub.id, "2026-03-01")).toMatchObject({ state: "sent", messageId: "msg-1", finishedAt: T0 + 100 });
    expect(await store.postedPaperIds(sub.id)).toEqual(["p3", "p1", "p2"]);
    expect(await store.getSubscription(sub.id)).toMatchObject({ lastPostAt: T0 + 100, lastResult: "posted 3 papers" });

    // A later post, recycling p3: it becomes the most recently posted.
    await claim(store, sub.id, "2026-03-02", ["p4", "p3"]);
    await store.markSent(sub.id, "2026-03-02", "msg-2", T0 + 200);
    expect(await store.postedPaperIds(sub.id)).toEqual(["p1", "p2", "p4", "p3"]);
    expect(await store.postedPaperIds(999)).toEqual([]);
    await expect(store.markSent(sub.id, "2026-03-09", "msg", T0)).rejects.toThrow(/No digest slot/);
  });

  it("prunes finished slots and posted papers older than given, never a slot still claimed", async () => {
    const store = await memory();
    const sub = await store.addSubscription(input());
    await claim(store, sub.id, "2026-01-01", ["old"], T0);
    await store.markSent(sub.id, "2026-01-01", "m1", T0);
    await claim(store, sub.id, "2026-01-02", ["kept"], T0);
    await claim(store, sub.id, "2026-06-01", ["new"], T0 + 1000);
    await store.markSent(sub.id, "2026-06-01", "m2", T0 + 1000);
    expect(await store.prune(T0 + 500, T0 + 500)).toEqual({ slots: 1, posted: 1 });
    expect(await store.getSlot(sub.id, "2026-01-01")).toBeUndefined();
    expect((await store.getSlot(sub.id, "2026-01-02"))?.state).toBe("claimed");
    expect(await store.postedPaperIds(sub.id)).toEqual(["new"]);
  });

  it("unfinishedSlots returns only claimed ones", async () => {
    const store = await memory();
    const sub = await store.addSubscription(input());
    const other = await store.addSubscription(input({ guildId: "g2" }));
    await claim(store, sub.id, "2026-03-01");
    await store.markSent(sub.id, "2026-03-01", "m", T0);
    await claim(store, sub.id, "2026-03-02");
    await store.markFinished(sub.id, "2026-03-02", "skipped", "missed by 9 h (grace 6 h)", T0 + 1);
    await claim(store, sub.id, "2026-03-03");
    await store.markFinished(sub.id, "2026-03-03", "failed", "HTTP 503 after 5 attempts", T0 + 2);
    await claim(store, sub.id, "2026-03-04");
    await claim(store, other.id, "2026-03-04");
    expect((await store.unfinishedSlots()).map((slot) => [slot.subscriptionId, slot.slotKey])).toEqual([
      [sub.id, "2026-03-04"],
      [other.id, "2026-03-04"],
    ]);
    expect(await store.getSlot(sub.id, "2026-03-02")).toMatchObject({ state: "skipped", reason: "missed by 9 h (grace 6 h)", finishedAt: T0 + 1 });
    expect(await store.getSlot(sub.id, "2026-03-03")).toMatchObject({ state: "failed", reason: "HTTP 503 after 5 attempts" });
    // Skipped and failed slots post nothing.
    expect(await store.postedPaperIds(sub.id)).toEqual(["p1", "p2"]);
    expect((await store.recentSlots(sub.id, 2)).map((slot) => slot.slotKey)).toEqual(["2026-03-04", "2026-03-03"]);
    await expect(store.markFinished(sub.id, "nope", "failed", "x", T0)).rejects.toThrow(/No digest slot/);
  });
});

describe("slotNonce", () => {
  it("is deterministic, distinct per slot and at most 25 characters", async () => {
    expect(slotNonce(12, "2026-03-29")).toBe(slotNonce(12, "2026-03-29"));
    expect(slotNonce(12, "2026-03-29")).toBe("pb12-2026-03-29");
    const keys = ["2026-03-29", "2026-03-30", "now-1767225600000", "x".repeat(100), "ünïcode key"];
    const nonces = new Set<string>();
    for (const id of [1, 12, 123456789012]) {
      for (const key of keys) {
        const nonce = slotNonce(id, key);
        expect(nonce.length).toBeLessThanOrEqual(25);
        expect(slotNonce(id, key)).toBe(nonce);
        nonces.add(nonce);
      }
    }
    expect(nonces.size).toBe(15);
    expect(slotNonce(1, "2-2026-03-29")).not.toBe(slotNonce(12, "2026-03-29"));
  });
});
