import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { commandRunner } from "../../../src/app.ts";
import type { Invocation } from "../../../src/command-kit/types.ts";
import type { Reply } from "../../../src/render/reply.ts";
import { SearchEngine } from "../../../src/search/engine.ts";
import { SavedPapers } from "../../../src/store/saved.ts";
import { openDatabase } from "../../../src/store/sqlite.ts";
import { SqliteSql } from "../../../src/store/sqlite-sql.ts";
import { WatchService } from "../../../src/watch/service.ts";
import { WatchStore } from "../../../src/watch/store.ts";
import { limitViolations } from "../../helpers/discord-limits.ts";
import { paper, buttonIds } from "../../helpers/papers.ts";
import { until } from "../../helpers/until.ts";
import { recordingTransport } from "../../helpers/transport.ts";

const ADA: Invocation = { userId: "ada", guildId: "g1", channelId: "c1", canManageServer: false };
const ADMIN: Invocation = { userId: "root", guildId: "g1", channelId: "c1", canManageServer: true };
const NOW = Date.parse("2024-08-05T09:00:00Z");

const corpus = [
  paper({ id: "2408.00001", title: "Diffusion Models for Protein Design", authors: ["Ada Lovelace"], published: "2024-08-01", listed: "2024-08-04", upvotes: 12, abstract: "protein diffusion sampling structure" }),
  paper({ id: "2408.00002", title: "Protein Structure by Diffusion Sampling", authors: ["Grace Hopper"], published: "2024-07-01", listed: "2024-08-03", upvotes: 40, abstract: "protein diffusion sampling structure" }),
  paper({ id: "2408.00003", title: "Graph Networks @everyone for Robots", authors: ["Alan Turing"], published: "2023-05-01", listed: "2024-08-02", upvotes: 3, abstract: "robots graph control" }),
  paper({ id: "2408.00004", title: "Diffusion Policies for Robots", authors: ["Ken Thompson"], published: "2022-03-01", listed: "2024-06-01", abstract: "robots diffusion policy" }),
  // Papers on other things, so that the words above are distinctive (related papers skip common words).
  ...Array.from({ length: 20 }, (_, i) => paper({ id: `other-${i}`, title: `Topic ${i} number theory lemma`, published: "2020-01-01" })),
];

async function runner() {
  const db = new SqliteSql(openDatabase(":memory:"));
  const engine = new SearchEngine(corpus);
  const logger = pino({ level: "silent" });
  const transport = recordingTransport();
  const store = new WatchStore(db);
  const watches = new WatchService({ store, engine, transport, clock: { now: () => NOW }, logger, options: { perUser: 2 } });
  await watches.start();
  const saved = new SavedPapers(db);
  const run = await commandRunner({ papers: corpus, problems: [], files: ["test"], duplicatesMerged: 0, loadMs: 1 }, { engine, logger, saved, watches, now: () => NOW });
  return { run, transport, watches, store, saved };
}

const text = (reply: Reply) => [reply.content, ...(reply.embeds ?? []).flatMap((embed) => [embed.title, embed.description, ...(embed.fields ?? []).map((f) => `${f.name}: ${f.value}`), embed.footer])].filter(Boolean).join("\n");

describe("/related and the Related button", () => {
  it("lists the papers most like one, never the paper itself, from the command and from its card's button", async () => {
    const { run } = await runner();
    const reply = await run.execute("related", { paper: "2408.00001" }, ADA);
    expect(reply.embeds?.[0]?.title).toBe("Related to: Diffusion Models for Protein Design");
    expect(reply.embeds?.[0]?.description).toMatch(/^\*\*1\.\*\* .*Protein Structure by Diffusion Sampling/);
    expect(reply.embeds?.[0]?.description).not.toContain("Diffusion Models for Protein Design");
    const card = await run.execute("paper", { paper: "2408.00001" }, ADA);
    const related = buttonIds(card).find((id) => id.startsWith("related:"))!;
    expect(text(await run.press(related, ADA))).toEqual(text(reply));
    expect((await run.execute("related", { paper: "no such paper at all" }, ADA)).content).toContain("No paper found");
  });
});

describe("Save and /saved", () => {
  it("saves from a paper's card, lists, removes, and survives pressing twice", async () => {
    const { run } = await runner();
    const save = buttonIds(await run.execute("paper", { paper: "2408.00002" }, ADA)).find((id) => id.startsWith("saved:"))!;
    expect(save).toBe("saved:add:2408.00002");
    expect(await run.press(save, ADA)).toMatchObject({ ephemeral: true, content: expect.stringContaining("Saved “Protein Structure by Diffusion Sampling”. You have 1 saved paper") });
    expect((await run.press(save, ADA)).content).toContain("Already saved");
    await run.press("saved:add:2408.00003", ADA);
    const list = await run.execute("saved", { subcommand: "list" }, ADA);
    expect(list.ephemeral).toBe(true);
    expect(list.embeds?.[0]?.description).toMatch(/1\.\*\* .*Graph Networks[\s\S]*2\.\*\* .*Protein Structure/);
    // Each person has their own list.
    expect((await run.execute("saved", { subcommand: "list" }, ADMIN)).content).toContain("no saved papers");
    expect(run.autocomplete("saved", "paper", "graph", ADA)).toEqual([{ name: "Graph Networks @everyone for Robots", value: "2408.00003" }]);
    expect((await run.execute("saved", { subcommand: "remove", paper: "2408.00003" }, ADA)).content).toContain("(1 left)");
    expect((await run.execute("saved", { subcommand: "remove", paper: "2408.00003" }, ADA)).content).toContain("is not among your saved papers");
  });

  it("saves at the bot's clock, and lists papers saved in the same millisecond last saved first", async () => {
    const { run, saved } = await runner();
    // The runner's clock says 2024: a save stamped with the machine's clock would sort after this one.
    await saved.save(ADA.userId, "2408.00004", NOW + 1000);
    await run.press("saved:add:2408.00001", ADA);
    await run.press("saved:add:2408.00003", ADA);
    await run.press("saved:add:2408.00002", ADA);
    expect(await saved.list(ADA.userId)).toEqual(["2408.00002", "2408.00003", "2408.00001", "2408.00004"]);
    const list = await run.execute("saved", { subcommand: "list" }, ADA);
    expect(list.embeds?.[0]?.description).toMatch(/1\.\*\* .*Protein Structure[\s\S]*2\.\*\* .*Graph Networks[\s\S]*3\.\*\* .*Diffusion Models for Protein[\s\S]*4\.\*\* .*Diffusion Policies/);
  });

  it("suggests one's saved papers for /saved remove, from the list last read", async () => {
    const { run, saved } = await runner();
    await saved.save(ADA.userId, "2408.00004", NOW);
    // Not read yet by this process: the corpus's suggestions, while the saved ones are read for the next keystroke.
    expect(run.autocomplete("saved", "paper", "diffusion", ADA).length).toBeGreaterThan(1);
    await until("the saved papers to be read for suggestions", () => run.autocomplete("saved", "paper", "diffusion", ADA).length === 1, 2000);
    expect(run.autocomplete("saved", "paper", "diffusion", ADA)).toEqual([{ name: "Diffusion Policies for Robots", value: "2408.00004" }]);
    await run.press("saved:add:2408.00001", ADA);
    expect(run.autocomplete("saved", "paper", "diffusion", ADA).map((choice) => choice.value)).toEqual(["2408.00001", "2408.00004"]);
    await run.execute("saved", { subcommand: "remove", paper: "2408.00004" }, ADA);
    expect(run.autocomplete("saved", "paper", "", ADA).map((choice) => choice.value)).toEqual(["2408.00001"]);
  });

  it("exports BibTeX or JSON Lines as an ephemeral file within Discord's limits", async () => {
    const { run } = await runner();
    expect((await run.execute("saved", { subcommand: "export" }, ADA)).content).toContain("no saved papers to export");
    await run.press("saved:add:2408.00001", ADA);
    await run.press("saved:add:2408.00003", ADA);
    const bib = await run.execute("saved", { subcommand: "export" }, ADA);
    expect(bib).toMatchObject({ ephemeral: true, content: expect.stringContaining("Your 2 saved papers as BibTeX") });
    expect(bib.files?.[0]?.name).toBe("paperbot-saved.bib");
    const bibText = new TextDecoder().decode(bib.files![0]!.data);
    expect(bibText).toContain("@misc{lovelace2024diffusion,");
    expect(bibText).toContain("  eprint = {2408.00001},");
    expect(limitViolations(bib)).toEqual([]);
    const jsonl = await run.execute("saved", { subcommand: "export", format: "jsonl" }, ADA);
    const lines = new TextDecoder().decode(jsonl.files![0]!.data).trim().split("\n");
    expect(lines.map((line) => JSON.parse(line).id).sort()).toEqual(["2408.00001", "2408.00003"]);
  });
});

describe("/trending and /trend", () => {
  it("lists the week's most upvoted, on a topic, escaping titles", async () => {
    const { run } = await runner();
    const week = await run.execute("trending", {}, ADA);
    expect(week.embeds?.[0]?.title).toBe("Trending this week");
    expect(week.embeds?.[0]?.description).toMatch(/1\.\*\* .*Protein Structure[\s\S]*2\.\*\* .*Diffusion Models for Protein[\s\S]*3\.\*\* .*Graph Networks/);
    expect(week.embeds?.[0]?.description).not.toContain("@everyone");
    expect(week.embeds?.[0]?.footer).toBe("Jul 29, 2024 – Aug 4, 2024 · most upvoted first, ties newest first · 3 papers in the period");
    const robots = await run.execute("trending", { period: "year", topic: "robots" }, ADA);
    expect(robots.embeds?.[0]?.title).toBe("Trending this year on robots");
    expect((await run.execute("trending", { period: "today", topic: "quantum" }, ADA)).content).toContain("No papers");
    expect((await run.execute("trending", { period: "decade" }, ADA)).content).toContain("The period must be one of");
  });

  it("draws a PNG chart with one line per topic stating the change", async () => {
    const { run } = await runner();
    const reply = await run.execute("trend", { topic: "diffusion", vs: "robots" }, ADA);
    expect(reply.embeds?.[0]).toMatchObject({ title: "Papers per month: diffusion vs robots", image: "attachment://trend.png" });
    expect(reply.embeds?.[0]?.description).toContain("diffusion: 3 papers from Jun 2024 to Aug 2024 (so far)");
    const png = reply.files?.[0]?.data;
    expect(Buffer.from(png!.slice(1, 4)).toString()).toBe("PNG");
    expect(limitViolations(reply)).toEqual([]);
    expect((await run.execute("trend", { topic: "the of" }, ADA)).content).toContain("too common");
  });
});

describe("/watch", () => {
  it("adds a DM watch, lists it with its state, removes it; a channel needs Manage Server", async () => {
    const { run } = await runner();
    const added = await run.execute("watch", { subcommand: "add", query: "diffusion models, -survey" }, ADA);
    expect(added).toMatchObject({ ephemeral: true, content: expect.stringContaining("Watch #1 is on: new papers on diffusion models, -survey will be sent to your DMs") });
    expect(text(await run.execute("watch", { subcommand: "list" }, ADA))).toContain("#1: diffusion models, -survey → your DMs · active");
    expect((await run.execute("watch", { subcommand: "add", query: "robots", where: "c2" }, ADA)).content).toContain("need the Manage Server permission");
    expect((await run.execute("watch", { subcommand: "add", query: "robots", where: "c2" }, ADMIN)).content).toContain("will be sent to <#c2>");
    expect((await run.execute("watch", { subcommand: "add", query: "-survey" }, ADA)).content).toContain("needs words to look for");
    expect((await run.execute("watch", { subcommand: "add", query: "x".repeat(201) }, ADA)).content).toContain("at most 200");
    // Someone else's watch cannot be removed; one's only watch needs no id.
    expect((await run.execute("watch", { subcommand: "remove", id: 1 }, ADMIN)).content).toContain("You have no watch #1");
    expect((await run.execute("watch", { subcommand: "remove" }, ADA)).content).toContain("Watch #1 (diffusion models, -survey) is stopped");
  });

  it("lists 20 watches with long queries and pause reasons whole, every one a field within Discord's limits", async () => {
    const { run, store } = await runner();
    for (let i = 1; i <= 20; i++) {
      const watch = await store.add({ userId: ADA.userId, guildId: "g1", query: `${"very specific *topic* ".repeat(9)}number ${i}`, createdAt: NOW });
      if (i % 2) await store.pause(watch.id, `I cannot send you direct messages (${"Cannot send messages to this user ".repeat(8)}). Allow DMs, then /watch resume.`);
    }
    const reply = await run.execute("watch", { subcommand: "list" }, ADA);
    expect(limitViolations(reply)).toEqual([]);
    const fields = reply.embeds![0]!.fields!;
    expect(fields.map((field) => field.name)).toEqual(Array.from({ length: 20 }, (_, i) => `#${i + 1}`));
    for (const [i, field] of fields.entries()) {
      expect(field.value).toContain(i % 2 === 0 ? "⏸ paused: I cannot send you direct messages" : "→ your DMs · active");
      expect(field.value).toContain("very specific");
    }
    expect(reply.embeds![0]!.footer).not.toContain("more not shown");
    expect(reply.embeds![0]!.footer).toContain("/watch resume restarts paused ones");
  });

  it("counts the watches a list leaves out", async () => {
    const { run, store } = await runner();
    for (let i = 1; i <= 30; i++) await store.add({ userId: ADMIN.userId, guildId: "g1", channelId: `c${i}`, query: `${"topic ".repeat(30)}${i}`, createdAt: NOW });
    const reply = await run.execute("watch", { subcommand: "list" }, ADMIN);
    expect(limitViolations(reply)).toEqual([]);
    expect(reply.embeds![0]!.fields).toHaveLength(25);
    expect(reply.embeds![0]!.footer).toContain("5 more not shown");
  });

  it("resumes every paused watch of a person with /watch resume and no id", async () => {
    const { run, store } = await runner();
    const a = await store.add({ userId: ADA.userId, query: "diffusion", createdAt: NOW });
    const b = await store.add({ userId: ADA.userId, query: "robots", createdAt: NOW });
    const theirs = await store.add({ userId: ADMIN.userId, query: "graphs", createdAt: NOW });
    for (const watch of [a, b, theirs]) await store.pause(watch.id, "I cannot send you direct messages");
    expect((await run.execute("watch", { subcommand: "resume" }, ADA)).content).toBe(`Watches #${a.id}, #${b.id} are active again; what they found meanwhile is on its way.`);
    expect((await store.ofUser(ADA.userId)).map((watch) => watch.status)).toEqual(["active", "active"]);
    expect((await store.get(theirs.id))!.status).toBe("paused");
    expect((await run.execute("watch", { subcommand: "resume" }, ADA)).content).toBe("None of your watches is paused.");
    expect((await run.execute("watch", { subcommand: "resume", id: a.id }, ADA)).content).toBe(`Watch #${a.id} is already active.`);
  });

  it("refuses a watch past the per-person limit, saying what to do", async () => {
    const { run } = await runner();
    await run.execute("watch", { subcommand: "add", query: "a topic" }, ADA);
    await run.execute("watch", { subcommand: "add", query: "another topic" }, ADA);
    expect((await run.execute("watch", { subcommand: "add", query: "third topic" }, ADA)).content).toBe("You have 2 watches, the most one may have. Remove one with /watch remove first.");
  });
});
