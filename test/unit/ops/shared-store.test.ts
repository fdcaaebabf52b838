import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { cluster } from "../../../src/cluster/ownership.ts";
import { DigestService } from "../../../src/digest/service.ts";
import { DigestStore } from "../../../src/digest/store.ts";
import { SearchEngine } from "../../../src/search/engine.ts";
import { openDatabase } from "../../../src/store/sqlite.ts";
import { SqliteSql } from "../../../src/store/sqlite-sql.ts";
import { WatchService } from "../../../src/watch/service.ts";
import { WatchStore } from "../../../src/watch/store.ts";
import { paper } from "../../helpers/papers.ts";
import { guildOnShard } from "../../helpers/snowflakes.ts";
import { savedSubscription } from "../../helpers/digests.ts";
import { recordingTransport } from "../../helpers/transport.ts";

const papers = [paper({ id: "2408.00001", title: "Diffusion one", listed: "2024-08-01" }), paper({ id: "2408.00002", title: "Diffusion two", listed: "2024-08-02" })];

/**
 * Two processes, one per shard, over one database file: each schedules only its own shard's servers,
 * and what both could send (a DM, a claimed slot) is still sent once.
 */
describe("two shard processes over one database", () => {
  it("post each server's digest once, from the process running its shard", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "shards-")), "bot.db");
    const at = Date.parse("2026-03-28T06:00:00Z");
    const seed = DigestStore.open(path);
    for (const [shard, channelId] of [[0, "c0"], [1, "c1"]] as const) {
      await savedSubscription(seed, { guildId: guildOnShard(shard, 2), channelId, subscribedAt: at, count: 2 });
    }
    await seed.close();
    const due = { now: () => Date.parse("2026-03-28T08:00:30Z") };
    const processes = [0, 1].map((shard) => {
      const transport = recordingTransport();
      const service = new DigestService({ store: DigestStore.open(path), engine: new SearchEngine(papers), transport, clock: due, logger: pino({ level: "silent" }), owns: cluster([shard], 2).owns });
      return { transport, service };
    });
    await Promise.all(processes.map(({ service }) => service.tick()));
    await Promise.all(processes.map(({ service }) => service.tick()));
    expect(processes.map(({ transport }) => transport.posts.map((post) => post.channelId))).toEqual([["c0"], ["c1"]]);
  });

  it("send a watch's DM alert once, from shard 0's process, and a channel alert from its server's shard", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "shards-")), "bot.db");
    const engine = new SearchEngine(papers);
    const transports = [recordingTransport(), recordingTransport()];
    const services = [0, 1].map(
      (shard) => new WatchService({ store: new WatchStore(new SqliteSql(openDatabase(path))), engine, transport: transports[shard]!, clock: { now: () => 0 }, logger: pino({ level: "silent" }), owns: cluster([shard], 2).owns }),
    );
    await services[0]!.start();
    await services[1]!.start();
    await services[1]!.add({ userId: "u1", guildId: guildOnShard(1, 2), query: "diffusion" });
    await services[1]!.add({ userId: "u2", guildId: guildOnShard(1, 2), channelId: "alerts", query: "diffusion" });
    const arrival = paper({ id: "2408.00003", title: "Diffusion three" });
    engine.add(arrival);
    await Promise.all(services.map((service) => service.papersArrived([arrival])));
    await Promise.all(services.map((service) => service.deliver()));
    expect(transports.map((transport) => transport.posts.map((post) => post.channelId))).toEqual([["dm-u1"], ["alerts"]]);
    await Promise.all(services.map((service) => service.stop()));
  });

  it("hold an alert whose papers have not reached the sending process yet, and send it once they have (review finding)", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "shards-")), "bot.db");
    const sql = new SqliteSql(openDatabase(path));
    const [sender, finder] = [new SearchEngine(papers), new SearchEngine(papers)];
    const transport = recordingTransport();
    const logger = pino({ level: "silent" });
    // Shard 0's process sends DMs; shard 1's ingested the paper first.
    const owner = new WatchService({ store: new WatchStore(sql), engine: sender, transport, clock: { now: () => 0 }, logger, owns: cluster([0], 2).owns });
    const other = new WatchService({ store: new WatchStore(sql), engine: finder, transport: recordingTransport(), clock: { now: () => 0 }, logger, owns: cluster([1], 2).owns });
    await owner.start();
    const watch = await owner.add({ userId: "u1", query: "diffusion" });
    const arrival = paper({ id: "2408.00009", title: "Diffusion nine" });
    finder.add(arrival);
    await other.papersArrived([arrival]);
    await owner.deliver();
    expect(transport.posts).toHaveLength(0);
    expect(await owner.waiting(watch.id)).toBe(1);
    sender.add(arrival); // the shared papers reach this process
    await owner.deliver();
    expect(transport.posts.map((post) => post.channelId)).toEqual(["dm-u1"]);
    await owner.stop();
    await other.stop();
  });
});
