import { parseArgs } from "node:util";
import { daysInRange, formatDay, parseDay } from "./dates.ts";
import { ARXIV_CATEGORY } from "./sources/arxiv.ts";
import type { IngestSource } from "./types.ts";

export const INGEST_USAGE = `Usage: paperbot ingest <source> [options]

  hf --date DAY                  Hugging Face Daily Papers of one day
  hf --from DAY --to DAY         ... of every day in a range (at most 366 days)
  arxiv --category CAT --max N   the N newest papers of an arXiv category (default cs.LG, 100; N at most 10000)
  file PATH                      a JSON/JSONL(.gz) corpus file, a saved Daily Papers page or HF API response

DAY is YYYY-MM-DD, "today" or "yesterday" (UTC).`;

export const MAX_ARXIV_RESULTS = 10_000;

function day(value: string, name: string, now: number): string {
  const word = value.trim().toLowerCase();
  if (word === "today") return formatDay(now);
  if (word === "yesterday") return formatDay(now - 86_400_000);
  if (parseDay(value) === undefined) throw new Error(`--${name} must be a date (YYYY-MM-DD, today or yesterday), not "${value}"`);
  return value.trim();
}

function parse(args: string[], now: number): IngestSource {
  const [kind, ...rest] = args;
  if (kind === "hf") {
    const { values } = parseArgs({ args: rest, options: { date: { type: "string" }, from: { type: "string" }, to: { type: "string" } } });
    if (values.date !== undefined && (values.from !== undefined || values.to !== undefined)) throw new Error("give --date, or --from and --to, not both");
    if (values.date !== undefined) {
      const date = day(values.date, "date", now);
      return { kind: "hf", from: date, to: date };
    }
    if (values.from === undefined || values.to === undefined) throw new Error("hf needs --date DAY, or --from DAY and --to DAY");
    const from = day(values.from, "from", now);
    const to = day(values.to, "to", now);
    const range = daysInRange(from, to);
    if (typeof range === "string") throw new Error(range);
    return { kind: "hf", from, to };
  }
  if (kind === "arxiv") {
    const { values } = parseArgs({ args: rest, options: { category: { type: "string", default: "cs.LG" }, max: { type: "string", default: "100" } } });
    if (!ARXIV_CATEGORY.test(values.category)) throw new Error(`--category must be an arXiv category such as cs.LG, not "${values.category}"`);
    const max = Number(values.max);
    if (!Number.isInteger(max) || max < 1 || max > MAX_ARXIV_RESULTS) throw new Error(`--max must be a whole number from 1 to ${MAX_ARXIV_RESULTS}`);
    return { kind: "arxiv", category: values.category, max };
  }
  if (kind === "file") {
    const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
    if (positionals.length !== 1) throw new Error("file needs exactly one PATH");
    return { kind: "file", path: positionals[0]! };
  }
  throw new Error(kind ? `unknown source "${kind}" (hf, arxiv or file)` : "which source? hf, arxiv or file");
}

/**
 * `ingest`'s arguments (after the word "ingest") as a source, or a one-line usage error for exit code 2.
 * "today" and "yesterday" are resolved against `now`, so a schedule should parse its sources at each run.
 */
export function parseIngestArgs(args: string[], now: number = Date.now()): IngestSource | string {
  try {
    return parse(args, now);
  } catch (error) {
    // node:util's own messages ("Unknown option '--dat'") are clear enough to pass on.
    return (error as Error).message;
  }
}

/**
 * Several sources separated by ";", as a schedule's setting might list them:
 * "hf --from yesterday --to today; arxiv --category cs.LG --max 100". Paths with spaces are not supported here.
 */
export function parseIngestSources(text: string, now: number = Date.now()): IngestSource[] | string {
  const sources: IngestSource[] = [];
  for (const part of text.split(";").map((item) => item.trim()).filter(Boolean)) {
    const source = parseIngestArgs(part.split(/\s+/), now);
    if (typeof source === "string") return `"${part}": ${source}`;
    sources.push(source);
  }
  return sources.length ? sources : "no sources given";
}
