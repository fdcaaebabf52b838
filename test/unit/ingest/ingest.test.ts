import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCorpus } from "../../../src/corpus/load.ts";
import { parseIngestArgs, parseIngestSources } from "../../../src/ingest/args.ts";
import { describeSource, formatIngestReport, ingest } from "../../../src/ingest/ingest.ts";
import { SearchEngine } from "../../../src/search/engine.ts";
import { atom, fakeClock, fixture, silent, startServer, tempDir, type LocalServer } from "./helpers.ts";

describe("parseIngestArgs", () => {
  const now = Date.UTC(2024, 7, 6, 15);
  it.each([
    [["hf", "--date", "2024-08-04"], { kind: "hf", from: "2024-08-04", to: "2024-08-04" }],
    [["hf", "--from", "2024-08-01", "--to", "2024-08-04"], { kind: "hf", from: "2024-08-01", to: "2024-08-04" }],
    [["hf", "--date", "today"], { kind: "hf", from: "2024-08-06", to: "2024-08-06" }],
    [["hf", "--from", "yesterday", "--to", "today"], { kind: "hf", from: "2024-08-05", to: "2024-08-06" }],
    [["arxiv", "--category", "cs.LG", "--max", "200"], { kind: "arxiv", category: "cs.LG", max: 200 }],
    [["arxiv"], { kind: "arxiv", category: "cs.LG", max: 100 }],
    [["arxiv", "--category", "stat.ML", "--max", "5"], { kind: "arxiv", category: "stat.ML", max: 5 }],
    [["file", "data/papers.jsonl.gz"], { kind: "file", path: "data/papers.jsonl.gz" }],
  ])("%j", (args, source) => {
    expect(parseIngestArgs(args, now)).toEqual(source);
  });

  it.each([
    [[], /which source/],
    [["rss"], /unknown source "rss"/],
    [["hf"], /--date DAY, or --from DAY and --to DAY/],
    [["hf", "--date", "2024-02-30"], /--date must be a date/],
    [["hf", "--date", "04/08/2024"], /--date must be a date/],
    [["hf", "--from", "2024-08-05"], /--from DAY and --to DAY/],
    [["hf", "--from", "2024-08-05", "--to", "2024-08-01"], /ends \(2024-08-01\) before it starts/],
    [["hf", "--from", "2023-01-01", "--to", "2024-12-31"], /at most 366/],
    [["hf", "--date", "2024-08-04", "--from", "2024-08-01"], /not both/],
    [["hf", "--dat", "2024-08-04"], /Unknown option '--dat'/],
    [["arxiv", "--max", "0"], /--max must be a whole number from 1 to 10000/],
    [["arxiv", "--max", "2.5"], /--max/],
    [["arxiv", "--category", "cs.LG OR all:x"], /--category must be an arXiv category/],
    [["file"], /exactly one PATH/],
    [["file", "a", "b"], /exactly one PATH/],
  ])("%j is a usage error", (args, message) => {
    const result = parseIngestArgs(args as string[], now);
    expect(typeof result).toBe("string");
    expect(result).toMatch(message);
  });
});

describe("parseIngestSources", () => {
  it("reads a schedule's list of sources, or names the bad one", () => {
    const now = Date.UTC(2024, 7, 6, 15);
    expect(parseIngestSources("hf --from yesterday --to today; arxiv --category cs.LG --max 50;", now)).toEqual([
      { kind: "hf", from: "2024-08-05", to: "2024-08-06" },
      { kind: "arxiv", category: "cs.LG", max: 50 },
    ]);
    expect(parseIngestSources("hf --date today; arxiv --max lots", now)).toMatch(/^"arxiv --max lots": --max must be/);
    expect(parseIngestSources(" ; ", now)).toBe("no sources given");
  });
});

describe("ingest", () => {
  let server: LocalServer;
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    const hf = await fixture("hf/2024-08-05.json");
    const feed = await fixture("arxiv/cs-LG.xml");
    server = await startServer((request) => (request.path === "/api/daily_papers" ? { body: hf } : atom(feed)));
  });
  afterEach(async () => {
    await server.close();
    await cleanup();
  });

  const options = () => {
    const clock = fakeClock();
    return { storePath: join(dir, "ingested.jsonl"), hfApiUrl: `${server.url}/api`, arxivApiUrl: `${server.url}/arxiv/query`, logger: silent, fetch: clock.fetch, sleep: clock.sleep, now: clock.now };
  };

  it("merges sources into one store: arXiv after Hugging Face keeps the upvotes, stars, thumbnail and code link, and adds its categories and update date", async () => {
    const hf = await ingest({ kind: "hf", from: "2024-08-05", to: "2024-08-05" }, options());
    expect(hf.counts).toEqual({ added: 2, updated: 0, unchanged: 0, rejected: 2 });
    const arxiv = await ingest({ kind: "arxiv", category: "cs.LG", max: 10 }, options());
    expect(arxiv.counts).toEqual({ added: 2, updated: 1, unchanged: 0, rejected: 1 });
    const corpus = await loadCorpus(dir);
    expect(corpus.papers.map((paper) => paper.id)).toEqual(["2408.01234", "2408.05678", "2408.09999", "2408.08888"]);
    expect(corpus.papers[0]).toMatchObject({
      upvotes: 42,
      stars: 311,
      comments: 2,
      updated: "2024-08-02",
      keywords: expect.arrayContaining(["sparse attention", "cs.LG"]),
      links: { code: ["https://github.com/example-lab/sparse-routers"], thumbnail: expect.stringContaining("2408.01234.png") },
    });
  });

  it("the live index finds a paper ingested a moment ago, without reloading", async () => {
    const engine = new SearchEngine([]);
    expect(engine.search("mixture of experts routers").total).toBe(0);
    const result = await ingest({ kind: "arxiv", category: "cs.LG", max: 10 }, options());
    for (const paper of result.papers) engine.add(paper);
    const hits = engine.search("mixture of experts routers").hits;
    expect(hits[0]!.paper.id).toBe("2408.09999");
    expect(engine.get("2408.09999v2")?.title).toBe("Scaling Laws for Sparse Mixture-of-Experts Routers under a Fixed Compute Budget");
  });

  it("reports in one line per outcome, for the CLI", async () => {
    const result = await ingest({ kind: "hf", from: "2024-08-05", to: "2024-08-05" }, options());
    const report = formatIngestReport(result);
    expect(report.split("\n")[0]).toBe(`hf 2024-08-05: 2 added, 0 updated, 0 unchanged, 2 rejected -> ${join(dir, "ingested.jsonl")}`);
    expect(report).toMatch(/^ {2}rejected: hf 2024-08-05 #3: paper\.title: /m);
    expect(describeSource({ kind: "arxiv", category: "cs.LG", max: 200 })).toBe("arxiv cs.LG (newest 200)");
    expect(describeSource({ kind: "hf", from: "2024-08-01", to: "2024-08-04" })).toBe("hf 2024-08-01..2024-08-04");
  });

  it("a failing source never throws: the failure is in errors and the store is untouched", async () => {
    await server.close();
    const result = await ingest({ kind: "hf", from: "2024-08-05", to: "2024-08-05" }, { ...options(), http: { maxAttempts: 2 } });
    expect(result.errors).toEqual([{ source: "hf 2024-08-05", message: expect.stringMatching(/network error.*gave up after 2 attempts/) }]);
    expect(result.written).toBe(false);
    expect(formatIngestReport(result)).toMatch(/1 failed \(store not changed\)\n {2}failed: hf 2024-08-05: /);
  });

  it("an abort (bot shutdown) rejects and writes nothing", async () => {
    const controller = new AbortController();
    controller.abort(new Error("shutting down"));
    await expect(ingest({ kind: "hf", from: "2024-08-05", to: "2024-08-05" }, { ...options(), signal: controller.signal })).rejects.toThrow("shutting down");
  });
});
