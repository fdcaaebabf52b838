import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ingest } from "../../../src/ingest/ingest.ts";
import { ArxivQueryError, parseArxivFeed } from "../../../src/ingest/sources/arxiv-atom.ts";
import { arxivQueryUrl, fetchArxivRecent } from "../../../src/ingest/sources/arxiv.ts";
import { atom, fakeClock, fixture, silent, startServer, tempDir, type LocalServer, type Reply } from "./helpers.ts";

let server: LocalServer | undefined;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => {
  await server?.close();
  server = undefined;
  await cleanup();
});

/** A feed of `count` generated entries starting at `start`, as arXiv pages a query. */
function generatedFeed(start: number, size: number, total: number): string {
  const entries = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => {
    const n = start + i;
    return `<entry>
    <id>http://arxiv.org/abs/2408.${String(20000 + n)}v1</id>
    <updated>2024-08-05T00:00:00Z</updated>
    <published>2024-08-05T00:00:00Z</published>
    <title>Generated Paper
  Number ${n}</title>
    <summary>  Abstract of paper ${n}.
</summary>
    <author><name>Author ${n}</name></author>
    <link href="http://arxiv.org/abs/2408.${String(20000 + n)}v1" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2408.${String(20000 + n)}v1" rel="related" type="application/pdf"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query: search_query=cat:cs.LG</title>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${total}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${start}</opensearch:startIndex>
  ${entries.join("\n  ")}
</feed>`;
}

const rateExceeded: Reply = { status: 200, body: "Rate exceeded.", headers: { "content-type": "text/plain" } };

describe("arXiv Atom feed", () => {
  it("parses versioned ids, hard-wrapped text, entities, authors, categories, links, comment and journal ref", async () => {
    const feed = parseArxivFeed(await fixture("arxiv/cs-LG.xml"));
    expect(feed.totalResults).toBe(4);
    expect(feed.entries[0]).toEqual({
      id: "2408.09999",
      versionedId: "2408.09999v2",
      title: "Scaling Laws for Sparse Mixture-of-Experts Routers under a Fixed Compute Budget",
      summary:
        "We study how the quality of sparse mixture-of-experts routers scales with the number of experts when the training compute is held fixed. Routers that balance load early converge to lower loss.",
      published: "2024-08-01T09:12:45Z",
      updated: "2024-08-05T17:02:11Z",
      authors: ["Ana Costa", "Ravi Iyer"],
      categories: ["cs.LG", "cs.AI"],
      primaryCategory: "cs.LG",
      pdf: "http://arxiv.org/pdf/2408.09999v2",
      comment: "12 pages, 5 figures; code at https://github.com/example/moe-scaling",
      journalRef: undefined,
      doi: "10.48550/arXiv.2408.09999",
    });
    expect(feed.entries[2]).toMatchObject({ id: "2408.08888", title: "Learning $O(n)$ Attention & Friends: A Survey", authors: ["Wei Zhang", "Zoë Müller"], summary: "We survey linear-time attention <mechanisms> and their trade-offs.", journalRef: "Trans. Mach. Learn. Res. (2024)" });
    expect(feed.rejected).toEqual([{ source: "arxiv #4", reason: expect.stringMatching(/^title: /) }]);
  });

  it("knows old-style ids and keeps a numeric-looking title a string", () => {
    const feed = parseArxivFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/cs/0601001v1</id><title>1984</title><published>2006-01-01T12:00:00Z</published></entry></feed>`);
    expect(feed.entries[0]).toMatchObject({ id: "cs/0601001", versionedId: "cs/0601001v1", title: "1984" });
  });

  it("takes the 'Error' entry for what it is: a refused query, not a paper", async () => {
    expect(() => parseArxivFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id><title>Error</title><summary>incorrect id format for 1234</summary></entry></feed>`)).toThrow(ArxivQueryError);
    expect(() => parseArxivFeed("Rate exceeded.")).toThrow(/not an Atom feed/);
    expect(() => parseArxivFeed("<html><body>Service Unavailable</body></html>")).toThrow(/no <feed>/);
    expect(parseArxivFeed(`<feed xmlns="http://www.w3.org/2005/Atom"></feed>`)).toEqual({ totalResults: undefined, entries: [], rejected: [] });
    expect(parseArxivFeed(`<feed xmlns="http://www.w3.org/2005/Atom"><opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:totalResults></feed>`)).toEqual({ totalResults: 0, entries: [], rejected: [] });
  });
});

describe("arXiv source", () => {
  it("asks for the category's newest papers, identifying itself", async () => {
    expect(arxivQueryUrl("http://export.arxiv.org/api/query", "cs.LG", 100, 50)).toBe(
      "http://export.arxiv.org/api/query?search_query=cat%3Acs.LG&sortBy=submittedDate&sortOrder=descending&start=100&max_results=50",
    );
    const body = await fixture("arxiv/cs-LG.xml");
    server = await startServer(() => atom(body));
    await fetchArxivRecent("cs.LG", 4, { apiUrl: `${server.url}/api/query`, http: {} });
    const request = server.requests[0]!;
    expect(request.path).toBe("/api/query");
    expect(Object.fromEntries(request.query)).toEqual({ search_query: "cat:cs.LG", sortBy: "submittedDate", sortOrder: "descending", start: "0", max_results: "4" });
    expect(request.headers["user-agent"]).toMatch(/^paperbot\//);
  });

  it("a normal feed: papers by unversioned id, text collapsed, code link from the comment, bad entry rejected", async () => {
    const body = await fixture("arxiv/cs-LG.xml");
    server = await startServer(() => atom(body));
    const clock = fakeClock();
    const result = await ingest({ kind: "arxiv", category: "cs.LG", max: 10 }, { storePath: join(dir, "s.jsonl"), arxivApiUrl: `${server.url}/api/query`, logger: silent, sleep: clock.sleep, now: clock.now });
    expect(result.errors).toEqual([]);
    expect(result.counts).toEqual({ added: 3, updated: 0, unchanged: 0, rejected: 1 });
    expect(result.papers[0]).toMatchObject({
      id: "2408.09999",
      title: "Scaling Laws for Sparse Mixture-of-Experts Routers under a Fixed Compute Budget",
      authors: ["Ana Costa", "Ravi Iyer"],
      published: "2024-08-01",
      links: { arxiv: "https://arxiv.org/abs/2408.09999", pdf: "https://arxiv.org/pdf/2408.09999", code: ["https://github.com/example/moe-scaling"] },
    });
    expect(result.papers[2]).toMatchObject({ id: "2408.08888", venue: "Trans. Mach. Learn. Res. (2024)" });
    // One request: the feed's total (4) is reached.
    expect(server.requests).toHaveLength(1);
  });

  it("the 'Error' entry is an error for the run; no paper named Error reaches the store", async () => {
    const body = await fixture("arxiv/error.xml");
    server = await startServer(() => atom(body));
    const storePath = join(dir, "s.jsonl");
    await writeFile(storePath, '{"id":"2401.00001","title":"Already Here"}\n');
    const result = await ingest({ kind: "arxiv", category: "cs.LG", max: 5 }, { storePath, arxivApiUrl: `${server.url}/api/query`, logger: silent });
    expect(result.errors).toEqual([{ source: "arxiv cs.LG start=0", message: "arXiv refused the query: max_results must be non-negative" }]);
    expect(result.papers).toEqual([]);
    expect(await readFile(storePath, "utf8")).toBe('{"id":"2401.00001","title":"Already Here"}\n');
  });

  it('"Rate exceeded." is throttling: backs off and tries again, 3 s apart at the least', async () => {
    const body = await fixture("arxiv/cs-LG.xml");
    server = await startServer((_, index) => (index === 0 ? rateExceeded : atom(body)));
    const clock = fakeClock();
    const batch = await fetchArxivRecent("cs.LG", 4, { apiUrl: `${server.url}/api/query`, http: { fetch: clock.fetch, sleep: clock.sleep, now: clock.now } });
    expect(batch.errors).toEqual([]);
    expect(batch.papers).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
    expect(clock.starts[1]! - clock.starts[0]!).toBeGreaterThanOrEqual(3000);
  });

  it('"Rate exceeded." with an error status is retried too, and reported once attempts run out', async () => {
    server = await startServer(() => ({ ...rateExceeded, status: 503 }));
    const clock = fakeClock();
    const batch = await fetchArxivRecent("cs.LG", 4, { apiUrl: `${server.url}/api/query`, http: { fetch: clock.fetch, sleep: clock.sleep, now: clock.now, maxAttempts: 3 } });
    expect(server.requests).toHaveLength(3);
    expect(batch.errors[0]!.message).toMatch(/throttled \(HTTP 503: "Rate exceeded\."\).*gave up after 3 attempts/);
  });

  it("--max N is paged, a request every 3 s, until N papers", async () => {
    server = await startServer((request) => atom(generatedFeed(Number(request.query.get("start")), Number(request.query.get("max_results")), 50)));
    const clock = fakeClock();
    const batch = await fetchArxivRecent("cs.LG", 5, { apiUrl: `${server.url}/api/query`, http: { fetch: clock.fetch, sleep: clock.sleep, now: clock.now }, pageSize: 2 });
    expect(batch.papers.map((paper) => paper.id)).toEqual(["2408.20000", "2408.20001", "2408.20002", "2408.20003", "2408.20004"]);
    expect(batch.papers[0]!.title).toBe("Generated Paper Number 0");
    expect(server.requests.map((request) => [request.query.get("start"), request.query.get("max_results")])).toEqual([
      ["0", "2"],
      ["2", "2"],
      ["4", "1"],
    ]);
    const gaps = clock.starts.slice(1).map((start, index) => start - clock.starts[index]!);
    expect(gaps).toEqual([3000, 3000]);
  });

  it("stops at the end of the results", async () => {
    server = await startServer((request) => atom(generatedFeed(Number(request.query.get("start")), Number(request.query.get("max_results")), 3)));
    const clock = fakeClock();
    const batch = await fetchArxivRecent("cs.LG", 100, { apiUrl: `${server.url}/api/query`, http: { fetch: clock.fetch, sleep: clock.sleep, now: clock.now }, pageSize: 2 });
    expect(batch.papers).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
  });

  it("a page that is not a feed ends the run with an error, keeping the pages before it", async () => {
    server = await startServer((request, index) =>
      index === 0 ? atom(generatedFeed(0, 2, 10)) : { body: "<html><body>Service Unavailable</body></html>", headers: { "content-type": "text/html" } },
    );
    const clock = fakeClock();
    const batch = await fetchArxivRecent("cs.LG", 4, { apiUrl: `${server.url}/api/query`, http: { fetch: clock.fetch, sleep: clock.sleep, now: clock.now }, pageSize: 2 });
    expect(batch.papers).toHaveLength(2);
    expect(batch.errors).toEqual([{ source: "arxiv cs.LG start=2", message: expect.stringMatching(/not an Atom feed/) }]);
  });

  it("refuses a category that is not one, without a request", async () => {
    server = await startServer(() => atom(""));
    const batch = await fetchArxivRecent("cs.LG OR all:x", 5, { apiUrl: `${server.url}/api/query`, http: {} });
    expect(batch.errors[0]!.message).toMatch(/not an arXiv category/);
    expect(server.requests).toHaveLength(0);
  });
});
