import { hfItemToPaper } from "../../corpus/loaders/hf-daily.ts";
import { daysInRange } from "../dates.ts";
import { request, type HttpOptions } from "../../net/http.ts";
import { appendBatch, emptyBatch, messageOf, type SourceBatch } from "../types.ts";

/**
 * Hugging Face Daily Papers: `GET {apiUrl}/daily_papers?date=YYYY-MM-DD`, one day per request. A weekend
 * answers an empty array; an invalid date answers HTTP 400, which fails that day only. The API pages with
 * `limit` and `p` (from 0), so a busy day is fetched until a page comes back short.
 */

export const HF_API_URL = "https://huggingface.co/api";

export interface HfOptions {
  apiUrl: string;
  http: HttpOptions;
  /** Items per request; the API's maximum is 100. */
  pageSize?: number;
  /** Bounds the paging should the API ever ignore `p` and repeat itself. */
  maxPages?: number;
}

export function hfDayUrl(apiUrl: string, date: string, page: number, pageSize: number): string {
  const url = new URL(`${apiUrl.replace(/\/+$/, "")}/daily_papers`);
  url.search = new URLSearchParams({ date, limit: String(pageSize), p: String(page) }).toString();
  return url.toString();
}

/** One day's papers; every failure (HTTP, JSON, shape) ends up in `errors`, never thrown. */
export async function fetchHfDay(date: string, options: HfOptions): Promise<SourceBatch> {
  const batch = emptyBatch();
  const pageSize = options.pageSize ?? 100;
  const seen = new Set<string>();
  let previous: string | undefined;
  for (let page = 0; page < (options.maxPages ?? 10); page++) {
    const where = `hf ${date}${page ? ` page ${page}` : ""}`;
    let items: unknown;
    try {
      const response = await request(hfDayUrl(options.apiUrl, date, page, pageSize), { accept: "application/json", ...options.http });
      // An API that ignores `p` answers the same page again: that is the end, not more papers.
      if (response.text === previous) break;
      previous = response.text;
      items = JSON.parse(response.text);
    } catch (error) {
      if (options.http.signal?.aborted) throw error;
      const message = error instanceof SyntaxError ? `malformed JSON: ${error.message}` : messageOf(error);
      batch.errors.push({ source: where, message });
      return batch;
    }
    if (!Array.isArray(items)) {
      batch.errors.push({ source: where, message: `expected a JSON array of papers, got ${items === null ? "null" : typeof items}` });
      return batch;
    }
    for (const [index, item] of items.entries()) {
      const source = `${where} #${index + 1}`;
      const paper = hfItemToPaper(item, source);
      if (typeof paper === "string") batch.rejected.push({ source, reason: paper });
      else if (!seen.has(paper.id)) {
        seen.add(paper.id);
        // The day we asked for is the day it was listed, should the item not say.
        batch.papers.push({ ...paper, listed: paper.listed ?? date });
      }
    }
    if (items.length < pageSize) break;
  }
  return batch;
}

/** Every day from `from` to `to`, one after the other; a failing day is reported and the others still count. */
export async function fetchHfRange(from: string, to: string, options: HfOptions): Promise<SourceBatch> {
  const days = daysInRange(from, to);
  if (typeof days === "string") return { ...emptyBatch(), errors: [{ source: `hf ${from}..${to}`, message: days }] };
  const batch = emptyBatch();
  for (const day of days) {
    appendBatch(batch, await fetchHfDay(day, options));
    options.http.logger?.info({ day, papersSoFar: batch.papers.length }, "hf day fetched");
  }
  return batch;
}
