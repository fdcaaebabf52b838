import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { DigestService } from "../../../src/digest/service.ts";
import { DigestStore } from "../../../src/digest/store.ts";
import { SendError } from "../../../src/delivery/transport.ts";
import { recordingTransport } from "../../helpers/transport.ts";
import type { Reply } from "../../../src/render/reply.ts";
import { SearchEngine } from "../../../src/search/engine.ts";
import { limitViolations } from "../../helpers/discord-limits.ts";
import { paper } from "../../helpers/papers.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function setup(papers = Array.from({ length: 7 }, (_, i) => paper({ id: `2408.0000${i}`, title: `Paper ${i}`, listed: `2024-08-0${i + 1}` }))) {
  let now = Date.parse("2026-03-28T06:00:00Z"); // 07:00 in Berlin, the day before DST starts
  const clock = { now: () => now };
  const store = DigestStore.open(":memory:");
  const transport = recordingTransport();
  const sleeps: number[] = [];
  const service = new DigestService({
    store,
    engine: new SearchEngine(papers),
    transport,
    clock,
    logger: pino({ level: "silent" }),
    sleep: async (ms) => void sleeps.push(ms),
  });
  const subscribe = async (extra: Partial<Parameters<DigestService["subscribe"]>[0]> = {}) => {
    const result = await service.subscribe({ guildId: "g", channelId: "c", schedule: { time: "09:00", timezone: "Europe/Berlin", days: [] }, count: 3, topics: "", cycle: false, createdBy: "u", ...extra });
    if (typeof result === "string") throw new Error(result);
    return result;
  };
  const titles = (i: number) => transport.posts[i]!.reply.embeds!.map((embed) => embed.title);
  return { store, transport, service, subscribe, titles, sleeps, clock, setNow: (at: number) => (now = at), advance: (ms: number) => (now += ms) };
}

describe("digest scheduling and posting", () => {
  it("posts at the scheduled local time, newest papers first, never repeating a paper", async () => {
    const t = setup();
    const subscription = await t.subscribe();
    expect(new Date(subscription.nextRunAt).toISOString()).toBe("2026-03-28T08:00:00.000Z"); // 09:00 CET
    await t.service.tick();
    expect(t.transport.posts).toHaveLength(0);
    t.setNow(Date.parse("2026-03-28T08:00:01Z"));
    await t.service.tick();
    await t.service.tick();
    expect(t.transport.posts).toHaveLength(1);
    expect(t.titles(0)).toEqual(["Paper 6", "Paper 5", "Paper 4"]);
    expect(t.transport.posts[0]!.reply.embeds!.at(-1)!.footer).toContain(`Digest #${subscription.id} · 2026-03-28`);
    // The next day is the DST switch: 09:00 CEST is 07:00Z.
    expect(new Date((await t.store.getSubscription(subscription.id))!.nextRunAt).toISOString()).toBe("2026-03-29T07:00:00.000Z");
    t.setNow(Date.parse("2026-03-29T07:00:00Z"));
    await t.service.tick();
    expect(t.titles(1)).toEqual(["Paper 3", "Paper 2", "Paper 1"]);
  });

  it("says 'nothing new' once, then stays quiet until there is something new", async () => {
    const t = setup([paper({ id: "2408.00001", title: "Only paper" })]);
    await t.subscribe();
    for (let day = 0; day < 3; day++) {
      t.setNow(Date.parse("2026-03-28T08:00:00Z") + day * 24 * HOUR);
      await t.service.tick();
    }
    expect(t.transport.posts).toHaveLength(2);
    expect(t.transport.posts[1]!.reply.embeds![0]!.description).toContain("No new papers");
  });

  it("cycles through the archive when asked, oldest posted first", async () => {
    const t = setup([paper({ id: "2408.00001", title: "A", listed: "2024-08-02" }), paper({ id: "2408.00002", title: "B", listed: "2024-08-01" })]);
    await t.subscribe({ count: 1, cycle: true });
    for (let day = 0; day < 4; day++) {
      t.setNow(Date.parse("2026-03-28T08:00:00Z") + day * 24 * HOUR);
      await t.service.tick();
    }
    expect([0, 1, 2, 3].map((i) => t.titles(i)[0])).toEqual(["A", "B", "A", "B"]);
    expect(t.transport.posts[2]!.reply.content).toContain("from the archive");
  });

  it("fits ten pathological papers into one message within Discord's limits", async () => {
    const huge = Array.from({ length: 12 }, (_, i) =>
      paper({ title: `@everyone ${"Long title ".repeat(40)}${i}`, abstract: "word ".repeat(3000), authors: Array.from({ length: 200 }, (_, j) => `Author ${j}`), summary: "s".repeat(5000) }),
    );
    const t = setup(huge);
    await t.service.postNow(await t.subscribe({ count: 10 }));
    const reply = t.transport.posts[0]!.reply;
    expect(reply.embeds).toHaveLength(10);
    expect(limitViolations(reply)).toEqual([]);
    expect(JSON.stringify(reply)).not.toContain("@everyone");
  });

  it("filters by topics", async () => {
    const t = setup([paper({ title: "Diffusion for robots" }), paper({ title: "Diffusion survey" }), paper({ title: "Graphs" })]);
    await t.service.postNow(await t.subscribe({ topics: "diffusion -survey" }));
    expect(t.titles(0)).toEqual(["Diffusion for robots"]);
  });

  it("posts a slot missed while down once at start-up within the grace window, and skips older ones", async () => {
    const t = setup();
    await t.subscribe();
    t.setNow(Date.parse("2026-03-28T13:59:00Z")); // 5 h 59 min late
    await t.service.tick();
    expect(t.transport.posts).toHaveLength(1);
    t.setNow(Date.parse("2026-03-29T13:01:00Z")); // the next slot (07:00Z) is 6 h 01 min late
    await t.service.tick();
    expect(t.transport.posts).toHaveLength(1);
    expect(new Date((await t.store.listSubscriptions("g"))[0]!.nextRunAt).toISOString()).toBe("2026-03-30T07:00:00.000Z");
  });

  it("retries a passing failure with the same nonce, and stops after its last attempt", async () => {
    const t = setup();
    const subscription = await t.subscribe();
    t.transport.failures.push(new SendError("retry", "503"), new SendError("retry", "503"));
    await t.service.postNow(subscription);
    expect(t.transport.posts).toHaveLength(1);
    expect(t.sleeps).toEqual([2000, 10_000]);
    expect(await t.service.postNow(subscription)).toBe("already sent"); // the same second is the same manual slot
    t.advance(MINUTE);
    t.transport.failures.push(...Array.from({ length: 4 }, () => new SendError("retry", "503")));
    expect(await t.service.postNow(subscription)).toBe("failed: 503");
    expect(t.transport.posts).toHaveLength(1);
    expect((await t.store.getSubscription(subscription.id))!.status).toBe("active");
  });

  it("pauses the subscription when the channel is closed to the bot, with the reason", async () => {
    const t = setup();
    const subscription = await t.subscribe();
    t.transport.failures.push(new SendError("pause", "Missing Permissions (Discord error 50013)"));
    t.setNow(subscription.nextRunAt);
    await t.service.tick();
    expect(await t.store.getSubscription(subscription.id)).toMatchObject({ status: "paused", pauseReason: "Missing Permissions (Discord error 50013)" });
    t.advance(24 * HOUR);
    await t.service.tick();
    expect(t.transport.posts).toHaveLength(0);
  });

  it("refuses a channel it cannot post in, saving nothing", async () => {
    const t = setup();
    expect(await t.service.subscribe({ guildId: "g", channelId: "closed", schedule: { time: "09:00", timezone: "UTC", days: [] }, count: 1, topics: "", cycle: false, createdBy: "u" })).toContain("Send Messages");
    expect(await t.store.listSubscriptions("g")).toEqual([]);
  });

  it("after a crash between claim and send, a recent claim is sent once with the same nonce", async () => {
    const t = setup();
    const subscription = await t.subscribe();
    t.setNow(subscription.nextRunAt);
    // What a crash leaves behind: the slot claimed (papers chosen), nothing confirmed.
    await t.store.claimSlot({ subscriptionId: subscription.id, slotKey: "2026-03-28", scheduledAt: subscription.nextRunAt, nonce: "n-1", paperIds: ["2408.00003"], claimedAt: t.clock.now() });
    t.transport.seen.add("n-1"); // and say the send did reach Discord before the crash
    await t.service.recover();
    await t.service.tick();
    expect(t.transport.posts).toHaveLength(0); // Discord dropped the repeat: still one message
    expect(await t.store.unfinishedSlots()).toEqual([]);
    t.transport.seen.clear();
    await t.store.claimSlot({ subscriptionId: subscription.id, slotKey: "x", scheduledAt: 0, nonce: "n-2", paperIds: ["2408.00003"], claimedAt: t.clock.now() });
    await t.service.recover();
    expect(t.transport.posts).toHaveLength(1);
    expect(t.titles(0)).toEqual(["Paper 3"]);
  });

  it("after a long outage, a claimed slot found in the channel is marked sent, not sent again", async () => {
    const t = setup();
    const subscription = await t.subscribe();
    await t.store.claimSlot({ subscriptionId: subscription.id, slotKey: "2026-03-28", scheduledAt: subscription.nextRunAt, nonce: "n-3", paperIds: [], claimedAt: t.clock.now() });
    t.transport.findPosted = async (_channel, marker) => (marker === `Digest #${subscription.id} · 2026-03-28` ? "m-old" : undefined);
    t.advance(HOUR);
    await t.service.recover();
    expect(t.transport.posts).toHaveLength(0);
    expect(await t.store.unfinishedSlots()).toEqual([]);
  });
});

describe("slots left claimed while the bot runs (cluster review finding)", () => {
  it("are looked at again every few minutes: found in the channel, or sent once, and never while still fresh", async () => {
    const t = setup();
    const subscription = await t.subscribe();
    t.setNow(Date.parse("2026-03-28T07:00:00Z")); // before 09:00 Berlin: nothing due
    await t.service.recover();
    await t.service.tick();
    // Another process (a rolling restart) claims a slot and stops before sending it.
    await t.store.claimSlot({ subscriptionId: subscription.id, slotKey: "elsewhere", scheduledAt: 0, nonce: "n-9", paperIds: ["2408.00004"], claimedAt: t.clock.now() });
    t.advance(MINUTE);
    await t.service.tick();
    expect(t.transport.posts).toHaveLength(0); // fresh: the other process may still be sending it
    t.advance(5 * MINUTE);
    await t.service.tick();
    expect(t.transport.posts).toHaveLength(1);
    expect(t.titles(0)).toEqual(["Paper 4"]);
    expect(await t.store.unfinishedSlots()).toEqual([]);
  });
});

describe("one server cannot stall the bot (hardening findings 1, 2, 5)", () => {
  it("runs due digests a few at a time, never all at once", async () => {
    const t = setup();
    let running = 0;
    let most = 0;
    const send = t.transport.send.bind(t.transport);
    t.transport.send = async (...args) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return send(...args);
    };
    for (let i = 0; i < 8; i++) await t.subscribe({ channelId: `c${i}` });
    t.setNow(Date.parse("2026-03-28T08:00:01Z"));
    await t.service.tick();
    expect(t.transport.posts).toHaveLength(8);
    expect(most).toBe(2);
  });

  it("backs a digest off when the database fails, instead of retrying it every second, and says so", async () => {
    const t = setup();
    const subscription = await t.subscribe();
    let claims = 0;
    t.store.claimSlot = () => {
      claims++;
      throw new Error("database or disk is full");
    };
    t.setNow(Date.parse("2026-03-28T08:00:01Z"));
    for (let second = 0; second < 60; second++) {
      await t.service.tick();
      t.advance(1000);
    }
    expect(claims).toBe(2); // at 0 s, then after 30 s; the next try waits a minute
    expect(t.service.troubled().get(subscription.id)).toMatchObject({ reason: "database or disk is full", attempts: 2 });
  });

  it("does not pick the same papers again after Discord refused a post for what it held", async () => {
    const t = setup();
    await t.subscribe();
    t.transport.failures.push(new SendError("fail", "Invalid Form Body (HTTP 400)"));
    t.setNow(Date.parse("2026-03-28T08:00:01Z"));
    await t.service.tick();
    expect(t.transport.posts).toHaveLength(0);
    t.setNow(Date.parse("2026-03-29T07:00:01Z"));
    await t.service.tick();
    expect(t.titles(0)).toEqual(["Paper 3", "Paper 2", "Paper 1"]);
  });
});
