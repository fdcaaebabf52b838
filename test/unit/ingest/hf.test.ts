import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ingest } from "../../../src/ingest/ingest.ts";
import { fetchHfDay } from "../../../src/ingest/sources/hf.ts";
import { readStore } from "../../../src/ingest/store.ts";
import { fakeClock, fixture, json, silent, startServer, tempDir, type LocalServer, type Reply } from "./helpers.ts";

/** A fake Hugging Face API: fixture days, a weekend, a date it refuses, and whatever a test adds. */
async function hfServer(extra: Record<string, (index: number) => Reply> = {}): Promise<LocalServer> {
  const days: Record<string, string> = {
    "2024-08-05": await fixture("hf/2024-08-05.json"),
    "2024-08-06": await fixture("hf/2024-08-06.json"),
  };
  return startServer((request, index) => {
    if (request.path !== "/api/daily_papers") return { status: 404, body: '{"error":"Sorry, we can\'t find the page you are looking for."}' };
    const date = request.query.get("date") ?? "";
    if (extra[date]) return extra[date](index);
    if (days[date]) return { body: days[date], headers: { "content-type": "application/json; charset=utf-8" } };
    if (date === "2024-08-03" || date === "2024-08-04") return json([]);
    return { status: 400, body: '{"error":"Invalid date"}' };
  });
}

let server: LocalServer;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => {
  await server?.close();
  await cleanup();
});

const options = (extra: object = {}) => {
  const clock = fakeClock();
  return { storePath: join(dir, "ingested.jsonl"), hfApiUrl: `${server.url}/api`, logger: silent, sleep: clock.sleep, now: clock.now, ...extra };
};

describe("Hugging Face Daily Papers source", () => {
  it("asks for the day with the API's paging parameters", async () => {
    server = await hfServer();
    await fetchHfDay("2024-08-05", { apiUrl: `${server.url}/api/`, http: {} });
    expect(server.requests[0]!.path).toBe("/api/daily_papers");
    expect(Object.fromEntries(server.requests[0]!.query)).toEqual({ date: "2024-08-05", limit: "100", p: "0" });
    expect(server.requests[0]!.headers.accept).toBe("application/json");
  });

  it("a normal day: maps every field, collapses hard line breaks, drops the version, rejects incomplete items", async () => {
    server = await hfServer();
    const result = await ingest({ kind: "hf", from: "2024-08-05", to: "2024-08-05" }, options());
    expect(result.counts).toEqual({ added: 2, updated: 0, unchanged: 0, rejected: 2 });
    expect(result.errors).toEqual([]);
    const [sparse, diffusion] = result.papers;
    expect(sparse).toMatchObject({
      id: "2408.01234",
      title: "Sparse Attention Routers for Long-Context Retrieval",
      abstract:
        "Long-context language models spend most of their compute on tokens that do not matter for the query. We introduce sparse attention routers, which select a small set of key blocks per query. Code and models are released.",
      authors: ["Mei Tanaka", "Jonas Weber"],
      published: "2024-08-02",
      listed: "2024-08-05",
      upvotes: 42,
      keywords: ["sparse attention", "long context", "retrieval"],
      summary: "Sparse attention routers pick a few key blocks per query to cut long-context compute.",
      links: { code: ["https://github.com/example-lab/sparse-routers"], project: "https://example-lab.github.io/sparse-routers/", arxiv: "https://arxiv.org/abs/2408.01234" },
      source: `${join(dir, "ingested.jsonl")}:1`,
    });
    expect(diffusion).toMatchObject({ id: "2408.05678", title: "Diffusion Planners for Embodied Agents", upvotes: 7, links: { code: ["https://github.com/okafor/diffplan"] } });
    expect(result.rejected.map((rejection) => rejection.source)).toEqual(["hf 2024-08-05 #3", "hf 2024-08-05 #4"]);
    expect(result.rejected[0]!.reason).toMatch(/paper\.title/);
    expect(result.rejected[1]!.reason).toMatch(/paper\.id/);
  });

  it("keeps stars, comments and the thumbnail; a newer upvote count wins, and re-ingesting an older day never takes it back", async () => {
    server = await hfServer();
    const fifth = await ingest({ kind: "hf", from: "2024-08-05", to: "2024-08-05" }, options());
    expect(fifth.papers[0]).toMatchObject({ id: "2408.01234", upvotes: 42, stars: 311, comments: 2, links: { thumbnail: expect.stringMatching(/^https:\/\/.*2408\.01234\.png$/) } });
    const sixth = await ingest({ kind: "hf", from: "2024-08-06", to: "2024-08-06" }, options());
    expect(sixth.papers.find((paper) => paper.id === "2408.01234")).toMatchObject({ upvotes: 57, stars: 311 });
    const again = await ingest({ kind: "hf", from: "2024-08-05", to: "2024-08-05" }, options());
    expect(again.counts).toMatchObject({ updated: 0, unchanged: 2 });
    expect((await readStore(join(dir, "ingested.jsonl"))).papers.find((paper) => paper.id === "2408.01234")).toMatchObject({ upvotes: 57, stars: 311, comments: 3, links: { thumbnail: expect.stringContaining("2408.01234.png") } });
  });

  it("an empty weekend day is no error and leaves the store alone", async () => {
    server = await hfServer();
    const result = await ingest({ kind: "hf", from: "2024-08-03", to: "2024-08-04" }, options());
    expect(result.counts).toEqual({ added: 0, updated: 0, unchanged: 0, rejected: 0 });
    expect(result.errors).toEqual([]);
    expect(result.written).toBe(false);
    await expect(readFile(join(dir, "ingested.jsonl"))).rejects.toThrow(/ENOENT/);
  });

  it("HTTP 400 for a date fails that day only, without retrying it", async () => {
    server = await hfServer();
    const result = await ingest({ kind: "hf", from: "2024-08-05", to: "2024-08-07" }, options());
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.source).toBe("hf 2024-08-07");
    expect(result.errors[0]!.message).toMatch(/HTTP 400: \{"error":"Invalid date"\}/);
    expect(server.requests.filter((request) => request.query.get("date") === "2024-08-07")).toHaveLength(1);
    expect(result.counts.added).toBe(3);
  });

  it("429 then success: waits as Retry-After says and keeps the day", async () => {
    const clock = fakeClock();
    server = await hfServer({
      "2024-08-08": (index) => (index === 0 ? { status: 429, headers: { "retry-after": "2" }, body: "Too Many Requests" } : json([])),
    });
    const result = await ingest({ kind: "hf", from: "2024-08-08", to: "2024-08-08" }, options({ sleep: clock.sleep, now: clock.now }));
    expect(result.errors).toEqual([]);
    expect(server.requests).toHaveLength(2);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(2000);
  });

  it("malformed JSON is reported for that day, and the other days still count", async () => {
    server = await hfServer({ "2024-08-07": () => ({ body: '[{"paper": {"id": "2408.1', headers: { "content-type": "application/json" } }) });
    const result = await ingest({ kind: "hf", from: "2024-08-05", to: "2024-08-07" }, options());
    expect(result.errors).toEqual([{ source: "hf 2024-08-07", message: expect.stringMatching(/^malformed JSON/) }]);
    expect(result.counts.added).toBe(3);
  });

  it("an object where the array should be is an error, not a crash", async () => {
    server = await hfServer({ "2024-08-08": () => json({ error: "something else" }) });
    const result = await ingest({ kind: "hf", from: "2024-08-08", to: "2024-08-08" }, options());
    expect(result.errors[0]!.message).toMatch(/expected a JSON array/);
  });

  it("duplicates across days merge into one record: the richer one, with the newer upvote count", async () => {
    server = await hfServer();
    const result = await ingest({ kind: "hf", from: "2024-08-05", to: "2024-08-06" }, options());
    expect(result.counts).toEqual({ added: 3, updated: 0, unchanged: 0, rejected: 2 });
    const { papers } = await readStore(join(dir, "ingested.jsonl"));
    expect(papers.map((paper) => paper.id)).toEqual(["2408.01234", "2408.05678", "2408.07777"]);
    // Day 6 lists it again without its code link and keywords; day 5's richer record wins, with day 6's 57 upvotes.
    expect(papers[0]).toMatchObject({ upvotes: 57, keywords: ["sparse attention", "long context", "retrieval"], links: { code: ["https://github.com/example-lab/sparse-routers"] } });
    expect(papers[2]!.links.code).toEqual(["https://github.com/nwosu/tokfree-speech"]);
  });

  it("pages through a busy day until a short page", async () => {
    const items = Array.from({ length: 5 }, (_, i) => ({ paper: { id: `2408.1000${i}`, title: `Paper ${i}`, summary: "S.", authors: [] }, publishedAt: "2024-08-09T00:00:00.000Z" }));
    server = await startServer((request) => {
      const page = Number(request.query.get("p"));
      const limit = Number(request.query.get("limit"));
      return json(items.slice(page * limit, page * limit + limit));
    });
    const batch = await fetchHfDay("2024-08-09", { apiUrl: `${server.url}/api`, http: {}, pageSize: 2 });
    expect(batch.papers.map((paper) => paper.id)).toEqual(items.map((item) => item.paper.id));
    expect(server.requests.map((request) => request.query.get("p"))).toEqual(["0", "1", "2"]);
  });

  it("stops paging when the API ignores p and repeats the page", async () => {
    const items = [1, 2].map((i) => ({ paper: { id: `2408.2000${i}`, title: `Paper ${i}` } }));
    server = await startServer(() => json(items));
    const batch = await fetchHfDay("2024-08-09", { apiUrl: `${server.url}/api`, http: {}, pageSize: 2 });
    expect(batch.papers).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
  });
});
