import { describe, expect, it, onTestFinished } from "vitest";
import { PostgresSql } from "../../../src/store/postgres.ts";
import { WatchStore, type Destination } from "../../../src/watch/store.ts";
import { DATABASES, freshPostgresUrl } from "../../helpers/databases.ts";

const T0 = Date.parse("2026-03-01T10:00:00Z");

describe.each(DATABASES)("the watch store on $dialect", ({ open }) => {
  async function store() {
    const sql = await open();
    return new WatchStore(sql);
  }

  it("adds, lists, counts, pauses, resumes and removes watches", async () => {
    const watches = await store();
    const a = await watches.add({ userId: "u1", guildId: "g1", query: "diffusion", createdAt: T0 });
    const b = await watches.add({ userId: "u1", guildId: "g1", channelId: "c1", query: "graphs", createdAt: T0 + 1 });
    const c = await watches.add({ userId: "u2", query: "robots", createdAt: T0 + 2 });
    expect(a).toEqual({ id: a.id, userId: "u1", guildId: "g1", channelId: undefined, query: "diffusion", status: "active", pauseReason: undefined, createdAt: T0 });
    expect(typeof a.id).toBe("number");
    expect(b.id).toBeGreaterThan(a.id);
    expect(await watches.get(b.id)).toEqual(b);
    expect(await watches.get(999_999)).toBeUndefined();
    expect((await watches.ofUser("u1")).map((watch) => watch.id)).toEqual([a.id, b.id]);
    expect((await watches.ofServerChannels("g1")).map((watch) => watch.id)).toEqual([b.id]);
    expect(await watches.countOfUser("u1")).toBe(2);
    expect(await watches.countOfUser("nobody")).toBe(0);
    expect(await watches.countInServer("g1")).toBe(2);
    await watches.pause(a.id, "DMs closed");
    expect(await watches.get(a.id)).toMatchObject({ status: "paused", pauseReason: "DMs closed" });
    expect((await watches.active()).map((watch) => watch.id)).toEqual([b.id, c.id]);
    expect((await watches.all()).map((watch) => watch.id)).toEqual([a.id, b.id, c.id]);
    expect(await watches.resume(a.id)).toBe(true);
    expect(await watches.get(a.id)).toMatchObject({ status: "active", pauseReason: undefined });
    expect(await watches.pauseDestination("dm:u1", "closed")).toBe(1);
    expect(await watches.get(b.id)).toMatchObject({ status: "active" });
    expect(await watches.remove(c.id)).toBe(true);
    expect(await watches.remove(c.id)).toBe(false);
    expect(await watches.countOfUser("u2")).toBe(0);
  });

  it("records each (watch, paper) once, notes papers as seen, and tells unseen ones apart", async () => {
    const watches = await store();
    const w = await watches.add({ userId: "u1", query: "diffusion", createdAt: T0 });
    expect(await watches.hasSeenAny()).toBe(false);
    expect(await watches.record([], ["p0"], T0)).toBe(0);
    expect(await watches.hasSeenAny()).toBe(true);
    const hits = [
      { watchId: w.id, paperId: "p1", matched: "diffusion" },
      { watchId: w.id, paperId: "p1", matched: "diffusion" },
      { watchId: w.id, paperId: "p2", matched: "diffusion" },
    ];
    expect(await watches.record(hits, ["p1", "p2", "p2"], T0)).toBe(2);
    expect(await watches.record(hits, ["p1", "p2"], T0 + 1)).toBe(0);
    expect(await watches.waiting(w.id)).toBe(2);
    expect(await watches.unseen(["p0", "p1", "p3", "p3", "p4"])).toEqual(["p3", "p4"]);
    // Many at once (the whole corpus at a first start): more ids than one statement takes.
    const many = Array.from({ length: 1234 }, (_, i) => `bulk-${i}`);
    await watches.record([], many, T0);
    expect(await watches.unseen([...many, "new"])).toEqual(["new"]);
  });

  it("claims a destination's waiting hits once, and not while an earlier alert there is unfinished", async () => {
    const watches = await store();
    const dm = await watches.add({ userId: "u1", query: "diffusion", createdAt: T0 });
    const other = await watches.add({ userId: "u1", query: "graphs", createdAt: T0 });
    const channel = await watches.add({ userId: "u2", guildId: "g1", channelId: "c1", query: "robots", createdAt: T0 });
    await watches.record(
      [
        { watchId: dm.id, paperId: "p1", matched: "diffusion" },
        { watchId: other.id, paperId: "p2", matched: "graphs" },
        { watchId: channel.id, paperId: "p3", matched: "robots" },
      ],
      ["p1", "p2", "p3"],
      T0,
    );
    expect(await watches.waitingDestinations()).toEqual([
      { destination: "dm:u1", waiting: 2, guildId: undefined },
      { destination: "channel:c1", waiting: 1, guildId: "g1" },
    ]);
    const batch = (await watches.claim("dm:u1", T0 + 5))!;
    expect(batch).toMatchObject({ destination: "dm:u1", claimedAt: T0 + 5 });
    expect(batch.hits).toEqual([
      { watchId: dm.id, paperId: "p1", matched: "diffusion", query: "diffusion" },
      { watchId: other.id, paperId: "p2", matched: "graphs", query: "graphs" },
    ]);
    expect(await watches.waiting(dm.id)).toBe(0);
    // A new paper for the destination: no second alert while the first is claimed and unfinished.
    await watches.record([{ watchId: dm.id, paperId: "p4", matched: "diffusion" }], ["p4"], T0 + 6);
    expect(await watches.claim("dm:u1", T0 + 7)).toBeUndefined();
    expect(await watches.lastSent("dm:u1")).toBe(T0 + 5); // claimed, maybe sent: it counts
    expect(await watches.unfinished()).toEqual([batch]);
    await watches.sent(batch.id, "m1", T0 + 10);
    expect(await watches.unfinished()).toEqual([]);
    expect(await watches.lastSent("dm:u1")).toBe(T0 + 10);
    // Sent a moment ago: within the quiet interval, nothing is claimed; after it, the new paper is.
    expect(await watches.claim("dm:u1", T0 + 20, { quietMs: 1000 })).toBeUndefined();
    const next = (await watches.claim("dm:u1", T0 + 1010, { quietMs: 1000 }))!;
    expect(next.hits.map((hit) => hit.paperId)).toEqual(["p4"]);
    expect(next.id).toBeGreaterThan(batch.id);
    // Nothing waiting: no batch.
    await watches.sent(next.id, "m2", T0 + 1011);
    expect(await watches.claim("dm:u1", T0 + 5000)).toBeUndefined();
    // The channel's batch carries its server.
    expect(await watches.claim("channel:c1", T0)).toMatchObject({ destination: "channel:c1", guildId: "g1", hits: [{ paperId: "p3" }] });
  });

  it("does not claim for paused watches; what they found waits for them", async () => {
    const watches = await store();
    const w = await watches.add({ userId: "u1", query: "diffusion", createdAt: T0 });
    await watches.record([{ watchId: w.id, paperId: "p1", matched: "diffusion" }], ["p1"], T0);
    await watches.pause(w.id, "closed");
    expect(await watches.waitingDestinations()).toEqual([]);
    expect(await watches.claim("dm:u1", T0)).toBeUndefined();
    await watches.resume(w.id);
    expect((await watches.claim("dm:u1", T0))?.hits).toHaveLength(1);
  });

  it("releases a failed alert's papers for the next one, or gives them up", async () => {
    const watches = await store();
    const w = await watches.add({ userId: "u1", query: "diffusion", createdAt: T0 });
    await watches.record([{ watchId: w.id, paperId: "p1", matched: "diffusion" }], ["p1"], T0);
    const first = (await watches.claim("dm:u1", T0))!;
    await watches.failed(first.id, "refused", T0 + 1, true);
    expect(await watches.waiting(w.id)).toBe(1);
    expect(await watches.lastSent("dm:u1")).toBeUndefined(); // a failed alert reached nobody
    const second = (await watches.claim("dm:u1", T0 + 2))!;
    expect(second.hits.map((hit) => hit.paperId)).toEqual(["p1"]);
    await watches.failed(second.id, "papers gone", T0 + 3, false);
    expect(await watches.waiting(w.id)).toBe(0);
    expect(await watches.unfinished()).toEqual([]);
    // Finishing twice changes nothing: a sent alert stays sent.
    await watches.record([{ watchId: w.id, paperId: "p2", matched: "diffusion" }], ["p2"], T0);
    const third = (await watches.claim("dm:u1", T0 + 4))!;
    await watches.sent(third.id, "m3", T0 + 5);
    await watches.failed(third.id, "late", T0 + 6, true);
    expect(await watches.waiting(w.id)).toBe(0);
    expect(await watches.lastSent("dm:u1")).toBe(T0 + 5);
  });

  it("keeps destinations apart: a DM and a channel of the same person are claimed separately", async () => {
    const watches = await store();
    const dm = await watches.add({ userId: "u1", query: "a", createdAt: T0 });
    const channel = await watches.add({ userId: "u1", guildId: "g", channelId: "c", query: "b", createdAt: T0 });
    await watches.record([{ watchId: dm.id, paperId: "p", matched: "a" }, { watchId: channel.id, paperId: "p", matched: "b" }], ["p"], T0);
    const destinations: Destination[] = ["dm:u1", "channel:c"];
    const batches = await Promise.all(destinations.map((destination) => watches.claim(destination, T0)));
    expect(batches.map((batch) => batch?.hits.map((hit) => hit.watchId))).toEqual([[dm.id], [channel.id]]);
  });
});

describe("claims on one PostgreSQL from two processes", () => {
  it("bind the waiting hits to one batch: the other claim gets none", async () => {
    const url = await freshPostgresUrl();
    const [a, b] = [await PostgresSql.connect(url), await PostgresSql.connect(url)];
    onTestFinished(async () => void (await Promise.all([a.close(), b.close()])));
    const [first, second] = [new WatchStore(a), new WatchStore(b)];
    const w = await first.add({ userId: "u1", query: "diffusion", createdAt: T0 });
    const hits = Array.from({ length: 50 }, (_, i) => ({ watchId: w.id, paperId: `p${i}`, matched: "diffusion" }));
    await first.record(hits, hits.map((hit) => hit.paperId), T0);
    for (let round = 0; round < 5; round++) {
      const claims = await Promise.all([first.claim("dm:u1", T0 + round), second.claim("dm:u1", T0 + round)]);
      const made = claims.filter((batch) => batch !== undefined);
      if (round === 0) {
        expect(made).toHaveLength(1);
        expect(made[0]!.hits.map((hit) => hit.paperId).sort()).toEqual(hits.map((hit) => hit.paperId).sort());
        await first.sent(made[0]!.id, "m", T0 + 1);
      } else {
        expect(made).toEqual([]);
      }
    }
    // New hits arriving: again one batch, from either process, never two.
    await second.record([{ watchId: w.id, paperId: "late", matched: "diffusion" }], ["late"], T0 + 10);
    const claims = await Promise.all([first.claim("dm:u1", T0 + 11), second.claim("dm:u1", T0 + 11)]);
    expect(claims.filter(Boolean).map((batch) => batch!.hits.map((hit) => hit.paperId))).toEqual([["late"]]);
    expect(await first.unfinished()).toHaveLength(1);
  });
});
