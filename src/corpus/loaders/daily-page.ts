import { makePaper } from "../make-paper.ts";
import type { Paper } from "../paper.ts";
import type { Parsed } from "../problems.ts";
import { collapseWhitespace } from "../../text/whitespace.ts";

/**
 * A Hugging Face "Daily Papers" page saved as text: page chrome, a date line such as "Aug 4", then a title
 * paragraph and an abstract paragraph per paper. Robust to CRLF, extra blank lines, hard-wrapped abstracts,
 * long titles, a missing date line and a paper without an abstract.
 */

const CHROME = new Set(["new", "get trending papers in your email inbox!", "subscribe", "daily papers", "byak and the research community"]);
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DATE_LINE = /^([a-z]{3})[a-z]*\.? (\d{1,2})(?:,? (\d{4}))?$/i;

interface Paragraph {
  text: string;
  line: number;
}

/** "Aug 4" -> "--08-04" (ISO 8601 month-day: the page gives no year); "Aug 4, 2024" -> "2024-08-04". */
export function parseDateLine(text: string): string | undefined {
  const match = DATE_LINE.exec(text.trim());
  const month = match ? MONTHS.indexOf(match[1]!.toLowerCase()) + 1 : 0;
  const day = Number(match?.[2]);
  if (!match || month === 0 || day < 1 || day > 31) return undefined;
  const monthDay = `${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return match[3] ? `${match[3]}-${monthDay}` : `--${monthDay}`;
}

function paragraphs(text: string): Paragraph[] {
  const result: Paragraph[] = [];
  let current: string[] = [];
  let start = 0;
  const flush = () => {
    if (current.length) result.push({ text: collapseWhitespace(current.join(" ")), line: start });
    current = [];
  };
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    if (line.trim() === "") return flush();
    if (!current.length) start = index + 1;
    current.push(line);
  });
  flush();
  return result;
}

/** Abstracts are several sentences, or end like one; titles are neither, however long. */
function looksLikeAbstract(text: string): boolean {
  return (text.length >= 250 && /[.!?]\s+\S/.test(text)) || text.endsWith(".");
}

export function parseDailyPage(text: string, file: string): Parsed<Paper> {
  const paras = paragraphs(text);
  let listed: string | undefined;
  let i = 0;
  for (; i < paras.length; i++) {
    const para = paras[i]!.text;
    const date = parseDateLine(para);
    if (date) listed = date;
    else if (!CHROME.has(para.toLowerCase())) break;
  }
  const result: Parsed<Paper> = { records: [], problems: [] };
  while (i < paras.length) {
    const title = paras[i]!;
    if (looksLikeAbstract(title.text)) {
      result.problems.push({ file, line: title.line, reason: "abstract paragraph without a title line before it" });
      i++;
      continue;
    }
    const next = paras[i + 1];
    const abstract = next && looksLikeAbstract(next.text) ? next.text : undefined;
    result.records.push(makePaper({ title: title.text, abstract, listed, source: `${file}:${title.line}` }));
    i += abstract ? 2 : 1;
  }
  return result;
}
