import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../helpers/run-process.ts";

const paperbot = (args: string[], input = "", env: Record<string, string> = {}) => run(process.execPath, ["bin/paperbot.js", ...args], { input, env });

describe("the paperbot CLI", () => {
  it("search --batch --json answers one JSON line per query, loading the corpus once", async () => {
    const result = await paperbot(["search", "--batch", "--json"], "grokking\n\nknowledge distillation\n   \n");
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ query: "grokking", total: 1, results: [{ title: "Grokking as the Transition from Lazy to Rich Training Dynamics" }] });
    expect(lines[1]).toMatchObject({ query: "knowledge distillation", page: 1 });
    expect((lines[1]!.results as Array<{ id: string; score: number }>)).toHaveLength(5);
    expect(lines[2]).toMatchObject({ error: "Please give a search query: it cannot be empty." });
  });

  it("search --json honours --limit and --page", async () => {
    const result = await paperbot(["search", "learning", "--json", "--limit", "3", "--page", "2"]);
    const answer = JSON.parse(result.stdout) as { page: number; results: Array<{ id: string; title: string; score: number; snippet: string }> };
    expect(answer.page).toBe(2);
    expect(answer.results).toHaveLength(3);
    for (const hit of answer.results) expect(Object.keys(hit)).toEqual(expect.arrayContaining(["id", "title", "score", "snippet"]));
  });

  it("paper and random print papers as JSON", async () => {
    const paper = JSON.parse((await paperbot(["paper", "Solving High-Dimensional PDEs with Latent Spectral Models", "--json"])).stdout) as { title: string; id: string };
    expect(paper.title).toBe("Solving High-Dimensional PDEs with Latent Spectral Models");
    const again = JSON.parse((await paperbot(["paper", paper.id, "--json"])).stdout) as { title: string };
    expect(again.title).toBe(paper.title);
    const random = await paperbot(["random", "--json"]);
    expect(random.code).toBe(0);
    expect(JSON.parse(random.stdout)).toHaveProperty("abstract");
    const missing = await paperbot(["paper", "2499.99999", "--json"]);
    expect(missing.code).toBe(1);
  });

  it("index writes the snapshot that the next start loads", async () => {
    const dir = await mkdtemp(join(tmpdir(), "paperbot-snapshot-"));
    const indexed = await paperbot(["index"], "", { SNAPSHOT_DIR: dir });
    expect(indexed).toMatchObject({ code: 0, stdout: expect.stringMatching(/^58 papers indexed; snapshot .*search-.*\.snapshot\n$/) });
    expect((await readdir(dir)).filter((name) => name.endsWith(".snapshot"))).toHaveLength(1);
    const warm = await paperbot(["search", "grokking", "--json"], "", { SNAPSHOT_DIR: dir, LOG_LEVEL: "info" });
    expect(warm.stderr).toContain("search index loaded from snapshot");
    expect(JSON.parse(warm.stdout)).toMatchObject({ total: 1 });
  });

  it("search without --json shows --limit results a page", async () => {
    const result = await paperbot(["search", "learning", "--limit", "7"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("**7.**");
    expect(result.stdout).not.toContain("**8.**");
    expect(result.stdout).toMatch(/Page 1\/\d+/);
  });

  it("exits with code 2 and the usage on bad usage (every case of it: test/unit/cli)", async () => {
    const result = await paperbot(["search", "x", "--limit", "51"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--limit must be a whole number from 1 to 50");
    expect(result.stderr).toContain("Usage: paperbot");
  });
});
