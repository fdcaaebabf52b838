import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Paper } from "../../../src/corpus/paper.ts";
import { SendError } from "../../../src/delivery/transport.ts";
import { SearchEngine } from "../../../src/search/engine.ts";
import { SqliteSql } from "../../../src/store/sqlite-sql.ts";
import { openDatabase } from "../../../src/store/sqlite.ts";
import { isBackfill, latestDateOf } from "../../../src/watch/match.ts";
import { FAILS_BEFORE_PAUSE, WatchService } from "../../../src/watch/service.ts";
import { WatchStore } from "../../../src/watch/store.ts";
import { paper } from "../../helpers/papers.ts";
import { recordingTransport } from "../../helpers/transport.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.parse("2026-03-01T10:00:00Z");

/** A started watch service over a fresh database, a clock the test moves, and a transport that records. */
async function setup() {
  let now = START;
  const clock = { now: () => now };
  const engine = new SearchEngine([paper({ id: "old", title: "Something old" })]);
  const transport = recordingTransport();
  let sends = 0;
  const send = transport.send;
  transport.send = (...args) => {
    sends++;
    return send(...args);
  };
  const store = new WatchStore(new SqliteSql(openDatabase(join(mkdtempSync(join(tmpdir(), "watch-delivery-")), "bot.db"))));
  const service = new WatchService({ store, engine, transport, clock, logger: pino({ level: "silent" }), options: { perUser: 20, perServer: 100 } });
  await service.start();
  let n = 0;
  const arrive = async (title: string, fields: Partial<Paper> = {}) => {
    const item = paper({ id: `new-${++n}`, title, ...fields });
    engine.add(item);
    return service.papersArrived([item]);
  };
  const tick = async (ms: number) => {
    now += ms;
    await service.deliver();
  };
  return { service, store, transport, arrive, tick, sends: () => sends, now: () => now };
}

describe("alerts Discord refuses", () => {
  it("keep their papers for the next try, and pause the destination's watches after 3 refusals in a row, saying why", async () => {
    const t = await setup();
    const watch = await t.service.add({ userId: "u1", guildId: "g", channelId: "papers", query: "diffusion" });
    const refusal = () => new SendError("fail", "Invalid Form Body (HTTP 400)");
    t.transport.failures.push(refusal());
    await t.arrive("Diffusion one");
    expect(t.transport.posts).toHaveLength(0);
    // Not lost: the paper waits for the next alert, and the watch is still on.
    expect(await t.service.waiting(watch.id)).toBe(1);
    expect(await t.service.get(watch.id)).toMatchObject({ status: "active" });
    for (let refused = 2; refused <= FAILS_BEFORE_PAUSE; refused++) {
      t.transport.failures.push(refusal());
      await t.tick(HOUR);
      expect(t.sends()).toBe(refused);
    }
    expect(await t.service.get(watch.id)).toMatchObject({ status: "paused", pauseReason: expect.stringContaining("Discord refused its alerts 3 times in a row (Invalid Form Body (HTTP 400))") });
    expect(await t.service.waiting(watch.id)).toBe(1);
    await t.tick(HOUR);
    expect(t.sends()).toBe(FAILS_BEFORE_PAUSE); // paused: no more tries
    await t.service.resume(watch.id);
    await t.service.deliver();
    expect(t.transport.posts).toHaveLength(1);
    expect(await t.service.waiting(watch.id)).toBe(0);
    await t.service.stop();
  });

  it("are not paused for refusals that are not in a row", async () => {
    const t = await setup();
    const watch = await t.service.add({ userId: "u1", guildId: "g", channelId: "papers", query: "diffusion" });
    for (let i = 0; i < 4; i++) {
      t.transport.failures.push(new SendError("fail", "Bad Request (HTTP 400)"), new SendError("fail", "Bad Request (HTTP 400)"));
      await t.arrive(`Diffusion ${i}`);
      await t.tick(HOUR);
      await t.tick(HOUR); // the third try succeeds
    }
    expect(t.transport.posts).toHaveLength(4);
    expect(await t.service.get(watch.id)).toMatchObject({ status: "active" });
    await t.service.stop();
  });
});

describe("passing failures", () => {
  it("back off per destination, 1, 2, 4 … minutes, instead of trying at every tick", async () => {
    const t = await setup();
    await t.service.add({ userId: "u1", guildId: "g", channelId: "papers", query: "diffusion" });
    await t.service.add({ userId: "u2", guildId: "g", channelId: "other", query: "diffusion" });
    for (let i = 0; i < 4; i++) t.transport.failures.push(new SendError("retry", "Service Unavailable (HTTP 503)"));
    await t.arrive("Diffusion one"); // "papers" fails (1), "other" fails (2)
    expect(t.sends()).toBe(2);
    await t.tick(30_000);
    expect(t.sends()).toBe(2); // within the first minute: nothing
    await t.tick(30_000);
    expect(t.sends()).toBe(4); // one minute on: both again, and both fail again (3, 4)
    await t.tick(MINUTE);
    expect(t.sends()).toBe(4); // now two minutes
    await t.tick(MINUTE);
    expect(t.sends()).toBe(6); // both sent
    expect(t.transport.posts.map((post) => post.channelId).sort()).toEqual(["other", "papers"]);
    // Sent: the back-off is forgotten, and the next alert goes at once.
    await t.arrive("Diffusion two");
    expect(t.sends()).toBe(8);
    expect(t.service.backingOff().size).toBe(0);
    await t.service.stop();
  });

  it("never wait more than an hour", async () => {
    const t = await setup();
    await t.service.add({ userId: "u1", guildId: "g", channelId: "papers", query: "diffusion" });
    for (let i = 0; i < 12; i++) t.transport.failures.push(new SendError("retry", "down"));
    await t.arrive("Diffusion one");
    while (t.transport.failures.length > 0) await t.tick(HOUR);
    expect(t.service.backingOff().get("channel:papers")!.retryAt - t.now()).toBe(HOUR);
    await t.tick(HOUR);
    expect(t.transport.posts).toHaveLength(1);
    await t.service.stop();
  });
});

describe("the time between DMs", () => {
  it("counts an alert claimed and not yet confirmed: no second DM while the first is still being retried", async () => {
    const t = await setup();
    await t.service.add({ userId: "u1", query: "diffusion" });
    t.transport.failures.push(new SendError("retry", "socket hang up"), new SendError("retry", "socket hang up"));
    await t.arrive("Diffusion first"); // claimed, not sent
    await t.arrive("Diffusion second"); // must wait for the first, not go out in an alert of its own
    for (let i = 0; i < 5; i++) await t.tick(MINUTE);
    expect(t.transport.posts).toHaveLength(1);
    expect(t.transport.posts[0]!.reply.embeds![0]!.description).toContain("Diffusion first");
    expect(t.transport.posts[0]!.reply.embeds![0]!.description).not.toContain("Diffusion second");
    await t.tick(50 * MINUTE);
    expect(t.transport.posts).toHaveLength(1); // within the hour after it: the second waits
    await t.tick(10 * MINUTE);
    expect(t.transport.posts).toHaveLength(2);
    expect(t.transport.posts[1]!.reply.embeds![0]!.description).toContain("Diffusion second");
    await t.service.stop();
  });
});

describe("an unconfirmed alert whose lookup fails", () => {
  it("is not sent blind: it is looked for again later, and sent only once known to be absent", async () => {
    const t = await setup();
    await t.service.add({ userId: "u1", guildId: "g", channelId: "papers", query: "diffusion" });
    t.transport.failures.push(new SendError("retry", "timeout after the message was accepted"));
    await t.arrive("Diffusion one");
    let lookups = 0;
    t.transport.findPosted = async () => {
      lookups++;
      throw new SendError("retry", "Discord is down (HTTP 503)");
    };
    await t.tick(10 * MINUTE); // past the nonce's memory: looked for, and the lookup fails
    expect(lookups).toBe(1);
    expect(t.sends()).toBe(1);
    await t.tick(30_000);
    expect(lookups).toBe(1); // backing off
    t.transport.findPosted = async () => {
      lookups++;
      return undefined;
    };
    await t.tick(2 * MINUTE); // the second failure (the lookup) doubled the wait
    expect(lookups).toBe(2);
    expect(t.transport.posts).toHaveLength(1);
    await t.service.stop();
  });

  it("for want of Read Message History pauses the channel's watches, saying what to grant", async () => {
    const t = await setup();
    const watch = await t.service.add({ userId: "u1", guildId: "g", channelId: "papers", query: "diffusion" });
    t.transport.failures.push(new SendError("retry", "timeout"));
    await t.arrive("Diffusion one");
    t.transport.findPosted = async () => {
      throw new SendError("pause", "I am missing the Read Message History permission there");
    };
    await t.tick(10 * MINUTE);
    expect(t.transport.posts).toHaveLength(0);
    expect(await t.service.get(watch.id)).toMatchObject({ status: "paused", pauseReason: expect.stringContaining("Read Message History") });
    t.transport.findPosted = async () => undefined;
    await t.service.resume(watch.id);
    await t.service.deliver();
    expect(t.transport.posts).toHaveLength(1);
    await t.service.stop();
  });
});

describe("backfills", () => {
  it("are noted but not alerted: papers dated more than a week before they are first seen", async () => {
    const t = await setup();
    const watch = await t.service.add({ userId: "u1", guildId: "g", channelId: "papers", query: "diffusion" });
    const day = (offset: number) => new Date(START + offset * DAY).toISOString().slice(0, 10);
    expect(await t.arrive("Diffusion listed long ago", { listed: day(-30), published: day(-1) })).toBe(0);
    expect(await t.arrive("Diffusion published long ago", { published: day(-9) })).toBe(0);
    expect(await t.arrive("Diffusion month long ago", { published: "2025-12" })).toBe(0);
    expect(t.transport.posts).toHaveLength(0);
    // Recent, undated, or dated too vaguely to tell (a year alone, a year-less listing): alerted.
    expect(await t.arrive("Diffusion listed this week", { listed: day(-6), published: "2019-01-01" })).toBe(1);
    expect(await t.arrive("Diffusion undated")).toBe(1);
    expect(await t.arrive("Diffusion of a year", { published: "2019" })).toBe(1);
    expect(await t.arrive("Diffusion year-less", { listed: "--01-15" })).toBe(1);
    expect(await t.arrive("Diffusion this month", { published: "2026-02" })).toBe(1);
    expect(t.transport.posts).toHaveLength(5);
    // Noted as seen: arriving again (another ingest) does not alert them either.
    const old = t.store;
    expect(await old.unseen(["new-1", "new-2", "new-3"])).toEqual([]);
    expect(await t.service.waiting(watch.id)).toBe(0);
    await t.service.stop();
  });

  it("are told by the listing date, else the publication date, read at their latest", () => {
    const at = Date.parse("2024-08-13T12:00:00Z");
    expect(latestDateOf({ listed: "2024-08-05" })).toBe(Date.parse("2024-08-06T12:00:00Z"));
    expect(latestDateOf({ published: "2024-08" })).toBe(Date.parse("2024-09-01T12:00:00Z"));
    expect(latestDateOf({ published: "2024-08-02T17:59:58.000Z" })).toBe(Date.parse("2024-08-03T12:00:00Z"));
    for (const undated of [{}, { published: "2024" }, { listed: "--08-04", published: "2020-01-01" }, { published: "August 2024" }, { published: "2024-13-01" }]) {
      expect(latestDateOf(undated)).toBeUndefined();
      expect(isBackfill(undated, at)).toBe(false);
    }
    expect(isBackfill({ listed: "2024-08-06" }, at)).toBe(false);
    expect(isBackfill({ listed: "2024-08-05" }, at + DAY)).toBe(true);
  });
});
