import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { commandRunner } from "../../../src/app.ts";
import type { Invocation } from "../../../src/command-kit/types.ts";
import { DigestService } from "../../../src/digest/service.ts";
import { DigestStore } from "../../../src/digest/store.ts";
import { SearchEngine } from "../../../src/search/engine.ts";
import { paper } from "../../helpers/papers.ts";
import { recordingTransport } from "../../helpers/transport.ts";

const ADMIN: Invocation = { userId: "u1", guildId: "g1", channelId: "c1", canManageServer: true };
const MEMBER: Invocation = { ...ADMIN, userId: "u2", canManageServer: false };

async function digestRunner() {
  const papers = [paper({ id: "2408.00001", title: "Diffusion Models for Robots", listed: "2024-08-04" })];
  const engine = new SearchEngine(papers);
  const logger = pino({ level: "silent" });
  const transport = recordingTransport();
  const digest = new DigestService({ store: DigestStore.open(":memory:"), engine, transport, clock: { now: () => Date.parse("2026-03-28T06:00:00Z") }, logger, options: { maxPerServer: 2 } });
  return commandRunner({ papers, problems: [], files: ["test"], duplicatesMerged: 0, loadMs: 1 }, { engine, logger, digest });
}

const subscribe = (options: Record<string, unknown>) => ({ subcommand: "subscribe", channel: "c1", time: "09:00", timezone: "Europe/Berlin", ...options });

describe("/digest", () => {
  it("needs Manage Server to change a digest, and lists them for anyone in the server", async () => {
    const runner = await digestRunner();
    expect((await runner.execute("digest", subscribe({}), MEMBER)).content).toContain("Manage Server");
    expect((await runner.execute("digest", subscribe({ topics: "diffusion" }), ADMIN)).content).toContain("Digest #1 will post in <#c1>");
    expect(JSON.stringify(await runner.execute("digest", { subcommand: "list" }, MEMBER))).toContain("topics: diffusion");
  });

  it("refuses a topic with nothing to search for, naming it", async () => {
    const runner = await digestRunner();
    const reply = await runner.execute("digest", subscribe({ topics: "diffusion, the of" }), ADMIN);
    expect(reply).toMatchObject({ ephemeral: true, content: expect.stringContaining("“the of” has only words too common") });
    expect((await runner.execute("digest", { subcommand: "list" }, ADMIN)).content).toContain("no digest yet");
  });

  it("caps digests per server, and previewing one needs Manage Server like posting one (hardening finding 1)", async () => {
    const runner = await digestRunner();
    for (const time of ["08:00", "09:00"]) expect((await runner.execute("digest", subscribe({ time }), ADMIN)).content).toContain("will post");
    expect((await runner.execute("digest", subscribe({ time: "10:00" }), ADMIN)).content).toContain("This server has 2 digests, the most it may have");
    expect((await runner.execute("digest", { subcommand: "preview", id: 1 }, MEMBER)).content).toContain("Manage Server");
    expect((await runner.execute("digest", { subcommand: "preview", id: 1 }, ADMIN)).content).toContain("Preview of digest #1");
  });
});
