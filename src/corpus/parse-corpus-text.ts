import { parseJsonArray } from "./json-array.ts";
import { parseDailyPage } from "./loaders/daily-page.ts";
import { hfItemToPaper, isHfDailyItem } from "./loaders/hf-daily.ts";
import { recordToPaper } from "./loaders/records.ts";
import type { Paper } from "./paper.ts";
import type { Parsed } from "./problems.ts";

/** A JSON value to a paper, choosing the shape by content: a Hugging Face item has a `paper` object. */
function jsonToPaper(value: unknown, source: string): Paper | string {
  return isHfDailyItem(value) ? hfItemToPaper(value, source) : recordToPaper(value, source);
}

function collect(entries: Array<{ value: () => unknown; line: number }>, file: string): Parsed<Paper> {
  const result: Parsed<Paper> = { records: [], problems: [] };
  for (const entry of entries) {
    let paper: Paper | string;
    try {
      paper = jsonToPaper(entry.value(), `${file}:${entry.line}`);
    } catch (error) {
      paper = `invalid JSON: ${(error as Error).message}`;
    }
    if (typeof paper === "string") result.problems.push({ file, line: entry.line, reason: paper });
    else result.records.push(paper);
  }
  return result;
}

/** One line of JSON Lines into `into`: a paper, or a problem naming the line. */
export function parseJsonLine(text: string, line: number, file: string, into: Parsed<Paper>): void {
  let paper: Paper | string;
  try {
    paper = jsonToPaper(JSON.parse(text) as unknown, `${file}:${line}`);
  } catch (error) {
    paper = `invalid JSON: ${(error as Error).message}`;
  }
  if (typeof paper === "string") into.problems.push({ file, line, reason: paper });
  else into.records.push(paper);
}

function parseJsonLines(text: string, file: string): Parsed<Paper> {
  const result: Parsed<Paper> = { records: [], problems: [] };
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() !== "") parseJsonLine(line, index + 1, file, result);
  });
  return result;
}

function parseArray(text: string, file: string): Parsed<Paper> {
  let array: ReturnType<typeof parseJsonArray>;
  try {
    array = parseJsonArray(text);
  } catch (error) {
    return { records: [], problems: [{ file, reason: `not a readable JSON array: ${(error as Error).message}` }] };
  }
  return collect(array.items.map((item, index) => ({ value: () => item, line: array.lines[index] ?? 0 })), file);
}

/**
 * Parses a corpus file's text, choosing the format by its content rather than its name: a JSON array
 * (our records or a Hugging Face API response), JSON Lines, or a saved Daily Papers page.
 */
export function parseCorpusText(text: string, file: string): Parsed<Paper> {
  const body = text.replace(/^\uFEFF/, "").trimStart();
  if (body.startsWith("[")) return parseArray(text.replace(/^\uFEFF/, ""), file);
  if (body.startsWith("{")) return parseJsonLines(text.replace(/^\uFEFF/, ""), file);
  return parseDailyPage(text, file);
}
