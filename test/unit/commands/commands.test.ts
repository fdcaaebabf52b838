import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { QueryStore } from "../../../src/store/queries.ts";
import { openDatabase } from "../../../src/store/sqlite.ts";
import { renderText } from "../../../src/console/render-text.ts";
import type { Reply } from "../../../src/render/reply.ts";
import { SqliteSql } from "../../../src/store/sqlite-sql.ts";
import { appWith, paper, buttonIds } from "../../helpers/papers.ts";

const corpus = [
  paper({ id: "2408.00001", title: "Diffusion Models Beat GANs", abstract: "We show diffusion models beat GANs on image synthesis.", authors: ["Ada Lovelace"], code: ["https://github.com/org/diffusion"] }),
  paper({ id: "2408.00002", title: "Knowledge Distillation Explained", abstract: "A student learns from a teacher." }),
  ...Array.from({ length: 11 }, (_, i) => paper({ title: `Robot Learning Part ${i + 1}`, abstract: "Robots learn to grasp." })),
];

const text = (reply: Reply) => renderText(reply);

describe("/search", () => {
  it("answers with a page of results, a footer with counts, and buttons to page and open", async () => {
    const runner = await appWith(corpus);
    const reply = await runner.execute("search", { query: "robot" });
    expect(reply.ephemeral).toBeFalsy();
    expect(reply.embeds?.[0]?.footer).toContain("Page 1/3");
    expect(reply.embeds?.[0]?.footer).toContain("11 papers match");
    const ids = buttonIds(reply);
    expect(ids.slice(0, 2)).toEqual(["search:1:robot", "search:2:robot"]);
    expect(ids.slice(2)).toEqual(Array.from({ length: 5 }, () => expect.stringMatching(/^paper:t-[0-9a-f]{12}$/)));
    expect(new Set(ids).size).toBe(ids.length); // Discord rejects duplicate custom ids in one message
  });

  it("pages through results with the Next button, statelessly", async () => {
    const runner = await appWith(corpus);
    const first = await runner.execute("search", { query: "robot" });
    const next = buttonIds(first).find((id) => id.startsWith("search:2:"))!;
    const second = await (await appWith(corpus)).press(next); // a fresh runner: nothing remembered
    expect(second.embeds?.[0]?.footer).toContain("Page 2/3");
    expect(second.embeds?.[0]?.description).toContain("**6.**");
  });

  it("takes a whole question, and pages it after a restart although it is too long for a button's id", async () => {
    const dir = await mkdtemp(join(tmpdir(), "paperbot-queries-"));
    const database = join(dir, "paperbot.db");
    const question = `I am looking for papers where a robot learns to grasp objects, ${"with many details about my setup, ".repeat(25)}anything?`;
    expect(question.length).toBeGreaterThan(900);
    const before = openDatabase(database);
    const first = await (await appWith(corpus, () => 0, { queries: new QueryStore(new SqliteSql(before)) })).execute("search", { query: question });
    before.close();
    expect(first.embeds?.[0]?.footer).toContain("Page 1/3");
    const next = buttonIds(first).find((id) => /^search:2~[\w-]{16}$/.test(id))!;
    expect(next.length).toBeLessThanOrEqual(100);
    // A new process: the query comes back from the database.
    const after = openDatabase(database);
    const second = await (await appWith(corpus, () => 0, { queries: new QueryStore(new SqliteSql(after)) })).press(next);
    expect(second).toMatchObject({ replaceSource: true });
    expect(second.embeds?.[0]?.footer).toContain("Page 2/3");
    // Without the database (or once the query is forgotten) the button says what to do.
    expect(await (await appWith(corpus)).press(next)).toMatchObject({ ephemeral: true, content: expect.stringContaining("Run /search again") });
    expect(await (await appWith(corpus, () => 0, { queries: new QueryStore(new SqliteSql(after)) })).press("search:2~AAAAAAAAAAAAAAAA")).toMatchObject({ ephemeral: true });
    after.close();
  });

  it("opens a paper from a result button", async () => {
    const runner = await appWith(corpus);
    const reply = await runner.execute("search", { query: "diffusion" });
    const open = buttonIds(reply).find((id) => id === "paper:2408.00001")!;
    const detail = await runner.press(open);
    expect(detail.embeds?.[0]?.title).toBe("Diffusion Models Beat GANs");
  });

  it("rejects empty, whitespace-only and over-long queries with a clear ephemeral message", async () => {
    const runner = await appWith(corpus);
    for (const query of ["", "   ", undefined]) {
      const reply = await runner.execute("search", { query });
      expect(reply).toMatchObject({ ephemeral: true, content: expect.stringContaining("Please give a search query") });
    }
    const long = await runner.execute("search", { query: "x".repeat(1001) });
    expect(long).toMatchObject({ ephemeral: true, content: "A search query can be at most 1000 characters (yours has 1001)." });
    const page = await runner.execute("search", { query: "robot", page: 0 });
    expect(page).toMatchObject({ ephemeral: true, content: expect.stringContaining("whole number from 1 to 1000") });
  });

  it("says so when nothing matches", async () => {
    const reply = await (await appWith(corpus)).execute("search", { query: "xylophone" });
    expect(reply).toMatchObject({ ephemeral: true, content: expect.stringContaining("No papers match") });
  });
});

describe("/paper", () => {
  it("shows the full detail for an id, a versioned id, a URL or an exact title", async () => {
    const runner = await appWith(corpus);
    for (const reference of ["2408.00001", "2408.00001v2", "https://arxiv.org/abs/2408.00001", "diffusion models beat gans"]) {
      const reply = await runner.execute("paper", { paper: reference });
      expect(reply.embeds?.[0]?.title, reference).toBe("Diffusion Models Beat GANs");
      expect(reply.content, reference).toBeUndefined();
    }
    const reply = await runner.execute("paper", { paper: "2408.00001" });
    expect(text(reply)).toContain("Authors: Ada Lovelace");
    expect((reply.buttons ?? []).map((row) => row.map((button) => button.label))).toEqual([["arXiv", "PDF", "Hugging Face", "Code"], ["Ask about this paper", "Related", "Save"]]);
  });

  it("links a title-only paper to a Hugging Face search for its title", async () => {
    const reply = await (await appWith(corpus)).execute("paper", { paper: "Robot Learning Part 1" });
    expect(reply.buttons?.[0]).toEqual([{ label: "Find on Hugging Face", url: "https://huggingface.co/papers?q=Robot%20Learning%20Part%201" }]);
  });

  it("falls back to the closest match that has every word, and says so", async () => {
    const reply = await (await appWith(corpus)).execute("paper", { paper: "distillation explained" });
    expect(reply.content).toContain("Closest match");
    expect(reply.embeds?.[0]?.title).toBe("Knowledge Distillation Explained");
  });

  it("explains when there is no such paper, and when a button points to a paper that is gone", async () => {
    const runner = await appWith(corpus);
    expect(await runner.execute("paper", { paper: "2499.99999" })).toMatchObject({ ephemeral: true, content: expect.stringContaining("No paper found") });
    expect(await runner.press("paper:2499.99999")).toMatchObject({ ephemeral: true, content: expect.stringContaining("no longer in the corpus") });
  });

  it("autocompletes titles with paper ids as values", async () => {
    const choices = (await appWith(corpus)).autocomplete("paper", "paper", "diffu");
    expect(choices[0]).toEqual({ name: "Diffusion Models Beat GANs", value: "2408.00001" });
  });
});

describe("/random", () => {
  it("picks uniformly by the random source, with an Another one button", async () => {
    const picks = await Promise.all([0, 0.5, 0.999].map(async (r) => (await (await appWith(corpus, () => r)).execute("random", {})).embeds?.[0]?.title));
    expect(picks).toEqual([corpus[0]!.title, corpus[6]!.title, corpus[12]!.title]);
    const reply = await (await appWith(corpus)).execute("random", {});
    expect(buttonIds(reply)).toContain("random:");
  });

  it("picks among papers matching a topic, and explains when none do", async () => {
    const runner = await appWith(corpus, () => 0.99);
    const reply = await runner.execute("random", { topic: "distillation" });
    expect(reply.embeds?.[0]?.title).toBe("Knowledge Distillation Explained");
    expect(buttonIds(reply)).toContain("random:distillation");
    expect((await runner.press("random:distillation")).embeds?.[0]?.title).toBe("Knowledge Distillation Explained");
    expect(await runner.execute("random", { topic: "xylophone" })).toMatchObject({ ephemeral: true, content: expect.stringContaining("No papers match the topic") });
  });
});

describe("/help and /about", () => {
  it("/help lists every command with an example", async () => {
    const runner = await appWith(corpus);
    const reply = await runner.execute("help", {});
    const names = reply.embeds?.[0]?.fields?.map((field) => field.name);
    expect(names).toEqual(runner.commands.map((command) => `/${command.definition.name}`));
    expect(names).toEqual(expect.arrayContaining(["/search", "/paper", "/random", "/help", "/about"]));
    for (const field of reply.embeds?.[0]?.fields ?? []) expect(field.value).toMatch(/`\/\w+/);
  });

  it("/about tells the corpus size and version", async () => {
    const reply = await (await appWith(corpus)).execute("about", {});
    expect(text(reply)).toContain("Papers: 13");
    expect(reply.embeds?.[0]?.title).toMatch(/^paperbot \d+\.\d+\.\d+/);
  });
});

describe("the runner", () => {
  it("answers unknown commands and forged buttons with an ephemeral explanation", async () => {
    const runner = await appWith(corpus);
    expect(await runner.execute("nope", {})).toMatchObject({ ephemeral: true, content: expect.stringContaining("Unknown command /nope") });
    for (const forged of ["", "nonsense", "search:abc", "search:", "help:x", "unknown:1", `search:1:${"x".repeat(300)}`]) {
      expect(await runner.press(forged), forged).toMatchObject({ ephemeral: true });
    }
  });

  it("turns a failing handler into 'something went wrong' with a ref, without throwing", async () => {
    const runner = await appWith(corpus);
    const broken = runner.commands.find((command) => command.definition.name === "about")!;
    const original = broken.execute;
    broken.execute = () => {
      throw new Error("boom");
    };
    try {
      const reply = await runner.execute("about", {});
      expect(reply).toMatchObject({ ephemeral: true, content: expect.stringMatching(/Something went wrong \(ref [0-9A-F]{6}\)/) });
    } finally {
      broken.execute = original;
    }
  });

  it("registers options Discord accepts: required before optional, autocomplete on search and paper", async () => {
    const runner = await appWith(corpus);
    const search = runner.commands.find((command) => command.definition.name === "search")!.definition;
    expect(search.options).toEqual([
      expect.objectContaining({ name: "query", type: 3, required: true, autocomplete: true, max_length: 1000 }),
      expect.objectContaining({ name: "page", type: 4, required: false, min_value: 1 }),
    ]);
    // Every name and description, subcommands' and options' too, within Discord's limits.
    type Described = { name: string; description: string; options?: Described[] };
    const check = (item: Described, path: string): void => {
      expect(item.name, path).toMatch(/^[a-z0-9]{1,32}$/);
      expect(item.description.length, `${path}: ${item.description}`).toBeLessThanOrEqual(100);
      for (const option of item.options ?? []) check(option, `${path} ${option.name}`);
    };
    for (const command of runner.commands) check(command.definition as Described, command.definition.name);
  });
});
