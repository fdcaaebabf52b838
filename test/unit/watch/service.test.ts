import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { SendError } from "../../../src/delivery/transport.ts";
import type { Paper } from "../../../src/corpus/paper.ts";
import { SearchEngine } from "../../../src/search/engine.ts";
import { openDatabase } from "../../../src/store/sqlite.ts";
import { SqliteSql } from "../../../src/store/sqlite-sql.ts";
import { matchWatches } from "../../../src/watch/match.ts";
import { WatchLimitError, WatchService } from "../../../src/watch/service.ts";
import { WatchStore } from "../../../src/watch/store.ts";
import { limitViolations } from "../../helpers/discord-limits.ts";
import { paper } from "../../helpers/papers.ts";
import { recordingTransport } from "../../helpers/transport.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const seed = [paper({ id: "old-1", title: "Diffusion models of old" }), paper({ id: "old-2", title: "Graph networks of old" })];
const fresh = (n: number, title = "Diffusion models") => Array.from({ length: n }, (_, i) => paper({ id: `new-${title.length}-${i}`, title: `${title} ${i}` }));

/** A bot's watches over one database file: `restart()` is a new process over the same file and corpus. */
function setup(options: { dbPath?: string; papers?: Paper[] } = {}) {
  const dbPath = options.dbPath ?? join(mkdtempSync(join(tmpdir(), "watch-")), "bot.db");
  let now = Date.parse("2026-03-01T10:00:00Z");
  const clock = { now: () => now };
  const engine = new SearchEngine(options.papers ?? seed);
  const transport = recordingTransport();
  const open = () => {
    const db = new SqliteSql(openDatabase(dbPath));
    const service = new WatchService({ store: new WatchStore(db), engine, transport, clock, logger: pino({ level: "silent" }), options: { perUser: 3, perServer: 4 } });
    return { db, service };
  };
  let current = open();
  const arrive = async (papers: Paper[]) => {
    for (const item of papers) engine.add(item);
    return current.service.papersArrived(papers);
  };
  const text = (i: number) => {
    const reply = transport.posts[i]!.reply;
    return [reply.content, ...(reply.embeds ?? []).map((embed) => `${embed.description}\n${embed.footer}`)].join("\n");
  };
  return {
    dbPath,
    engine,
    transport,
    arrive,
    text,
    get service() {
      return current.service;
    },
    advance: (ms: number) => (now += ms),
    restart: async () => {
      await current.service.stop();
      await current.db.close();
      current = open();
      await current.service.start();
    },
  };
}

describe("watch matching", () => {
  it("matches a phrase's every word (stemmed, any order), says which phrase, and honours exclusions", () => {
    const papers = [
      paper({ id: "a", title: "Models for diffusion in images" }),
      paper({ id: "b", title: "A survey of diffusion models" }),
      paper({ id: "c", title: "Graph neural networks" }),
      paper({ id: "d", title: "Diffusion alone" }),
    ];
    const engine = new SearchEngine(papers);
    const hits = matchWatches(engine, [{ id: 1, query: "diffusion model, graph network, -survey" }], papers);
    expect(hits).toEqual([
      { watchId: 1, paperId: "a", matched: "diffusion model" },
      { watchId: 1, paperId: "c", matched: "graph network" },
    ]);
  });
});

describe("watch alerts", () => {
  it("on the first start only notes the corpus; papers that arrive later are alerted by DM, with the words they matched", async () => {
    const t = setup();
    await t.service.start();
    await t.service.add({ userId: "u1", guildId: "g", query: "diffusion models" });
    expect(t.transport.posts).toHaveLength(0);
    expect(await t.arrive([paper({ id: "2408.1", title: "Diffusion models for proteins" }), paper({ id: "2408.2", title: "Unrelated robots" })])).toBe(1);
    expect(t.transport.posts).toHaveLength(1);
    expect(t.transport.posts[0]!.channelId).toBe("dm-u1");
    expect(t.text(0)).toContain("Diffusion models for proteins");
    expect(t.text(0)).toContain("matched “diffusion models”");
    expect(t.text(0)).toContain("Watch alert #1");
    expect(limitViolations(t.transport.posts[0]!.reply)).toEqual([]);
    await t.service.stop();
  });

  it("sends a person at most one DM an hour, up to 10 papers, then 'and N more' with a search", async () => {
    const t = setup();
    await t.service.start();
    await t.service.add({ userId: "u1", query: "diffusion models" });
    await t.arrive(fresh(1));
    expect(t.transport.posts).toHaveLength(1);
    await t.arrive(fresh(14, "More diffusion models"));
    expect(t.transport.posts).toHaveLength(1); // within the hour: waits
    expect(await t.service.waiting(1)).toBe(14);
    t.advance(HOUR);
    await t.service.deliver();
    expect(t.transport.posts).toHaveLength(2);
    expect(t.text(1)).toContain("14 new papers");
    expect(t.text(1)).toContain("…and 4 more: /search diffusion models");
    expect((t.text(1).match(/matched “/g) ?? []).length).toBe(10);
    expect(await t.service.waiting(1)).toBe(0);
    await t.service.stop();
  });

  it("posts a channel watch in its channel without waiting an hour between alerts", async () => {
    const t = setup();
    await t.service.start();
    await t.service.add({ userId: "u1", guildId: "g", channelId: "papers", query: "graph networks" });
    await t.arrive([paper({ id: "g1", title: "Graph networks one" })]);
    await t.arrive([paper({ id: "g2", title: "Graph networks two" })]);
    expect(t.transport.posts.map((post) => post.channelId)).toEqual(["papers", "papers"]);
    await expect(t.service.add({ userId: "u1", guildId: "g", channelId: "closed", query: "x" })).rejects.toThrow("cannot post in <#closed>");
    await t.service.stop();
  });

  it("delivers each paper to each watch exactly once across a restart, a repeated ingest and a crash mid-send", async () => {
    const t = setup();
    await t.service.start();
    await t.service.add({ userId: "u1", guildId: "g", channelId: "papers", query: "diffusion models" });
    // Papers added while the bot was down are matched at the next start.
    await t.service.stop();
    t.engine.add(paper({ id: "while-down", title: "Diffusion models while down" }));
    await t.restart();
    expect(t.transport.posts).toHaveLength(1);
    expect(t.text(0)).toContain("while down");
    // The same papers again (a repeated ingest, another restart): nothing new.
    await t.arrive([paper({ id: "while-down", title: "Diffusion models while down" })]);
    await t.restart();
    expect(t.transport.posts).toHaveLength(1);
    // A crash after the claim, before Discord answered: the next start sends it with the same nonce, once.
    t.transport.failures.push(new SendError("retry", "socket hang up"));
    await t.arrive([paper({ id: "crash", title: "Diffusion models at a crash" })]);
    expect(t.transport.posts).toHaveLength(1);
    await t.restart();
    expect(t.transport.posts).toHaveLength(2);
    expect(t.transport.posts[1]!.nonce).toBe("w2");
    await t.restart();
    expect(t.transport.posts).toHaveLength(2);
  });

  it("does not send again an alert that reached the channel before a crash (found by its marker)", async () => {
    const t = setup();
    await t.service.start();
    await t.service.add({ userId: "u1", guildId: "g", channelId: "papers", query: "diffusion models" });
    // Discord took the message, but the bot died before recording it: the claim is left open.
    let delivered = false;
    const send = t.transport.send;
    t.transport.send = async (channel, reply, nonce) => {
      await send(channel, reply, nonce);
      delivered = true;
      throw new SendError("retry", "connection reset after the message was accepted");
    };
    await t.arrive([paper({ id: "p", title: "Diffusion models posted" })]);
    expect(delivered).toBe(true);
    t.transport.send = send;
    t.transport.findPosted = async (_channel, marker) => (marker === "Watch alert #1" ? "m-found" : undefined);
    t.advance(10 * MINUTE); // past the nonce's memory: looked for in the channel
    t.transport.seen.clear(); // Discord has forgotten the nonce too
    await t.restart();
    expect(t.transport.posts).toHaveLength(1);
    await t.service.stop();
  });

  it("pauses the watches of a person who blocks DMs (50007) with the reason, and sends what waited on resume", async () => {
    const t = setup();
    await t.service.start();
    const watch = await t.service.add({ userId: "u1", query: "diffusion models" });
    t.transport.refusing.add("u1");
    await t.arrive([paper({ id: "b1", title: "Diffusion models blocked" })]);
    expect(t.transport.posts).toHaveLength(0);
    expect(await t.service.get(watch.id)).toMatchObject({ status: "paused", pauseReason: expect.stringContaining("cannot send you direct messages") });
    // Papers found while paused wait, and are not lost.
    await t.arrive([paper({ id: "b2", title: "Diffusion models while paused" })]);
    expect(await t.service.waiting(watch.id)).toBe(2);
    t.transport.refusing.delete("u1");
    await t.service.resume(watch.id);
    await t.service.deliver();
    expect(t.transport.posts).toHaveLength(1);
    expect(t.text(0)).toContain("Diffusion models blocked");
    expect(t.text(0)).toContain("Diffusion models while paused");
    await t.service.stop();
  });

  it("limits watches per person and per server, with a message saying what to do", async () => {
    const t = setup();
    await t.service.start();
    for (let i = 0; i < 3; i++) await t.service.add({ userId: "u1", guildId: "g", query: `topic ${i}` });
    await expect(t.service.add({ userId: "u1", guildId: "g", query: "one more" })).rejects.toThrow(WatchLimitError);
    await expect(t.service.add({ userId: "u1", guildId: "g", query: "one more" })).rejects.toThrow("You have 3 watches");
    await t.service.add({ userId: "u2", guildId: "g", query: "fourth in the server" });
    await expect(t.service.add({ userId: "u3", guildId: "g", query: "fifth" })).rejects.toThrow("This server has 4 watches");
    // Elsewhere (a DM) the server's limit does not apply.
    await t.service.add({ userId: "u3", query: "in a DM" });
    await t.service.stop();
  });
});
