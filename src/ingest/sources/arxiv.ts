import { request, type HttpOptions } from "../../net/http.ts";
import { pacedFetch } from "../pace.ts";
import { emptyBatch, messageOf, type SourceBatch } from "../types.ts";
import { arxivEntryToPaper, parseArxivFeed } from "./arxiv-atom.ts";

/**
 * The newest papers of an arXiv category: `GET {apiUrl}?search_query=cat:cs.LG&sortBy=submittedDate&
 * sortOrder=descending&start=..&max_results=..`, paged, at most one request every 3 s as arXiv asks.
 * Throttling answers the plain text "Rate exceeded." (whatever the status), which is retried with backoff.
 */

export const ARXIV_API_URL = "https://export.arxiv.org/api/query";
/** arXiv's terms of use: no more than one request every three seconds. */
export const ARXIV_INTERVAL_MS = 3000;

/** "cs.LG", "stat.ML", "q-bio.NC", "hep-th": arXiv's archive[.subject] names. */
export const ARXIV_CATEGORY = /^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$/;

export interface ArxivOptions {
  apiUrl: string;
  http: HttpOptions;
  /** Entries per request; arXiv suggests small slices over one huge answer. */
  pageSize?: number;
  intervalMs?: number;
}

export const isRateExceeded = (response: { text: string }) => /^\s*Rate exceeded\.?\s*$/i.test(response.text);

export function arxivQueryUrl(apiUrl: string, category: string, start: number, maxResults: number): string {
  const url = new URL(apiUrl);
  url.search = new URLSearchParams({
    search_query: `cat:${category}`,
    sortBy: "submittedDate",
    sortOrder: "descending",
    start: String(start),
    max_results: String(maxResults),
  }).toString();
  return url.toString();
}

/** Up to `max` of the category's newest papers; a failing page ends the run with what was fetched so far. */
export async function fetchArxivRecent(category: string, max: number, options: ArxivOptions): Promise<SourceBatch> {
  const batch = emptyBatch();
  if (!ARXIV_CATEGORY.test(category)) {
    batch.errors.push({ source: `arxiv ${category}`, message: `"${category}" is not an arXiv category (e.g. cs.LG)` });
    return batch;
  }
  const pageSize = Math.max(1, options.pageSize ?? 100);
  const http: HttpOptions = {
    accept: "application/atom+xml",
    ...options.http,
    fetch: pacedFetch({ intervalMs: options.intervalMs ?? ARXIV_INTERVAL_MS, fetch: options.http.fetch, now: options.http.now, sleep: options.http.sleep }),
    isThrottled: isRateExceeded,
  };
  const seen = new Set<string>();
  let start = 0;
  while (start < max) {
    const size = Math.min(pageSize, max - start);
    const where = `arxiv ${category} start=${start}`;
    let feed;
    try {
      const response = await request(arxivQueryUrl(options.apiUrl, category, start, size), http);
      feed = parseArxivFeed(response.text, where);
    } catch (error) {
      if (options.http.signal?.aborted) throw error;
      batch.errors.push({ source: where, message: messageOf(error) });
      break;
    }
    batch.rejected.push(...feed.rejected);
    for (const entry of feed.entries) {
      if (seen.has(entry.id)) continue;
      seen.add(entry.id);
      batch.papers.push(arxivEntryToPaper(entry, `arxiv ${entry.versionedId}`));
    }
    const received = feed.entries.length + feed.rejected.length;
    start += received;
    options.http.logger?.info({ category, start, total: feed.totalResults }, "arxiv page fetched");
    // arXiv sometimes answers a short page mid-way; its own total says whether more remain.
    if (received === 0 || (feed.totalResults === undefined ? received < size : start >= feed.totalResults)) break;
  }
  return batch;
}
