import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nodeTsx, run } from "../helpers/run-process.ts";

/** `npm start` without DISCORD_TOKEN, driven through piped stdin exactly as `npm start` runs it. */
const start = (input: string, env: Record<string, string> = {}) => run(...nodeTsx("src/main.ts"), { input, env });

describe("the offline console (npm start without a token)", () => {
  it("runs the commands on the seed corpus and prints replies as Discord would show them", async () => {
    const subscribe = "/digest subscribe channel:#papers time:09:00 timezone:Europe/Berlin"; // as /help and the README show it
    const result = await start(["/help", "/search grokking", "/search knowledge distillation", "next", "open 6", "/random", subscribe, "/about", "/quit", "/about"].join("\n"));
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain("/search: Search papers");
    expect(out).toContain("┃ Search: grokking\n┃ **1.** Grokking as the Transition from Lazy to Rich Training Dynamics");
    expect(out).toContain("We propose that the **grokking** phenomenon");
    expect(out).toMatch(/Page 1\/4 · 6 match every word/);
    expect(out).toContain("(◀ Prev) [Next ▶]");
    expect(out).toMatch(/Page 2\/4/);
    expect(out).toContain("┃ Rich Feature Construction for the Optimization-Generalization Dilemma");
    expect(out).toContain("🎲 A random paper");
    expect(out).toContain("[🎲 Another one]");
    expect(out).toContain("Digest #1 will post in <#papers>");
    expect(out).toContain("┃ Papers: 58");
    expect(out.match(/Papers: 58/g)).toHaveLength(1); // nothing after /quit
    const logs = result.stderr.trim().split("\n").map((line) => JSON.parse(line) as { msg: string });
    expect(logs.find((log) => log.msg === "corpus loaded")).toMatchObject({ papers: 58 });
  });

  it("answers bad input clearly and keeps going", async () => {
    const result = await start(["/search", `/search ${"x".repeat(1001)}`, "/nope", "hello", "/paper 2499.99999", "/search grokking"].join("\n"));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("(only you can see this)\nPlease give a search query.");
    expect(result.stdout).toContain("A search query can be at most 1000 characters (yours has 1001).");
    expect(result.stdout).toContain("Unknown command /nope. Try /help.");
    expect(result.stdout).toContain("No button “hello” here.");
    expect(result.stdout).toContain("No paper found for “2499.99999”");
    expect(result.stdout).toContain("Grokking as the Transition");
  });

  it("honours CORPUS_PATH and reports skipped records with file and line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "paperbot-console-"));
    const file = join(dir, "papers.jsonl");
    await writeFile(file, '{"id":"x1","title":"A Tiny Corpus Paper","abstract":"About tiny corpora."}\n{"title": 5}\nnot json\n');
    const result = await start("/search tiny\n", { CORPUS_PATH: file });
    expect(result.stdout).toContain("A Tiny Corpus Paper");
    expect(result.stderr).toContain(`${file}:2: title: Invalid input`);
    expect(result.stderr).toContain(`${file}:3: invalid JSON`);
    expect(result.stderr).toMatch(/"papers":1,.*"skipped":2/);
  });

  it("fails fast with one clear message on a bad variable or an unreadable corpus", async () => {
    const badLevel = await start("", { LOG_LEVEL: "loud" });
    expect(badLevel.code).toBe(1);
    expect(badLevel.stderr.trim()).toMatch(/^paperbot: Invalid configuration: LOG_LEVEL .*See \.env\.example\.$/);
    const missing = await start("", { CORPUS_PATH: "/nonexistent/corpus" });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe("paperbot: CORPUS_PATH /nonexistent/corpus does not exist or cannot be read");
    const garbage = join(await mkdtemp(join(tmpdir(), "paperbot-db-")), "paperbot.db");
    await writeFile(garbage, "this is not a database, just text that happens to be long enough ".repeat(100));
    const corrupt = await start("", { DATABASE_PATH: garbage });
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr.trim().split("\n")).toHaveLength(1);
    expect(corrupt.stderr).toMatch(new RegExp(`^paperbot: .*${garbage}`));
    const dir = await mkdtemp(join(tmpdir(), "paperbot-empty-"));
    const empty = await start("", { CORPUS_PATH: dir });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain(`no papers could be loaded from ${dir}`);
  });
});
