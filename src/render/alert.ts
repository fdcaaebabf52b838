import type { Paper } from "../corpus/paper.ts";
import { LIMITS } from "../discord-api.ts";
import { parseTopics } from "../search/query/topics.ts";
import { truncateMarkdown } from "./limits.ts";
import { bold, escapeMarkdown, link, truncate } from "./markdown.ts";
import { paperUrl } from "./papers.ts";
import type { Reply } from "./reply.ts";

/** Papers one alert lists at most; the rest are counted, with a search that finds them. */
export const ALERT_PAPERS = 10;

/** Identifies an alert message in a channel (checked after a crash, so an alert is never sent twice). */
export function alertMarker(batchId: number): string {
  return `Watch alert #${batchId}`;
}

export interface AlertContent {
  batchId: number;
  /** Per watch: its query and the papers found for it, each with the words it matched. */
  watches: Array<{ watchId: number; query: string; papers: Array<{ paper: Paper; matched: string }> }>;
}

const TITLE = "New papers on what you watch";
/** The longest a query or a paper title is shown (as escaped markdown): a section stays readable. */
const QUERY_SHOWN = 100;
const TITLE_SHOWN = 150;
const MATCHED_SHOWN = 80;
/** The longest phrase given as a /search to type: longer, the hint points to /watch list instead. */
const SEARCH_HINT_MAX = 100;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Where to find a watch's papers that the alert did not list: a /search of its first phrase, which
 * /search takes as typed (it has no comma or exclusion syntax, so the whole query would not work).
 */
function findMore(query: string): string {
  const phrase = parseTopics(query).include[0]?.join(" ") ?? "";
  return phrase && phrase.length <= SEARCH_HINT_MAX ? `/search ${escapeMarkdown(phrase)}` : "/watch list";
}

/**
 * One alert message: the new papers of each watch, each saying which words of the watch it matched, at
 * most ALERT_PAPERS in all. Its text is budgeted so that Discord never has to cut it: every section
 * listed fits the embed's 4096-character description (and 6000 in all), long queries and titles are cut,
 * and watches that do not fit are named in a last line, "…and K more watches (N papers): /watch list".
 *
 * Papers the message does not list are not kept for a later alert (that would grow without end for a broad
 * watch limited to one DM an hour): the message says exactly how many it left out, per watch listed and for
 * the watches not listed, with where to find them. So no paper of the batch is dropped unsaid.
 */
export function alertReply(alert: AlertContent): Reply {
  const total = alert.watches.reduce((sum, watch) => sum + watch.papers.length, 0);
  const footer = `${alertMarker(alert.batchId)} · /watch list to manage`;
  const budget = Math.min(LIMITS.embedDescription, LIMITS.embedTotal - TITLE.length - footer.length);
  const sections: string[] = [];
  let used = 0;
  let listed = 0;
  // The room kept for the last line about watches left out (its numbers take at most a few digits).
  const tailRoom = `\n\n…and ${alert.watches.length} more watches (${total} papers): /watch list`.length;
  let unlisted = 0;
  let unlistedPapers = 0;
  for (const [index, watch] of alert.watches.entries()) {
    const isLast = index === alert.watches.length - 1;
    const separator = sections.length ? 2 : 0;
    // The room this section may take, keeping room for the last line unless this is the last watch.
    const room = budget - used - separator - (isLast ? 0 : tailRoom);
    const section = renderSection(watch, listed, room);
    if (!section) {
      unlisted++;
      unlistedPapers += watch.papers.length;
      continue;
    }
    sections.push(section.text);
    used += separator + section.text.length;
    listed += section.shown;
  }
  if (unlisted > 0) sections.push(`…and ${plural(unlisted, "more watch", "more watches")} (${plural(unlistedPapers, "paper")}): /watch list`);
  return {
    content: `🔔 ${plural(total, "new paper")} for ${alert.watches.length === 1 ? "your watch" : `${alert.watches.length} watches`}`,
    embeds: [{ title: TITLE, description: sections.join("\n\n"), footer }],
  };
}

/**
 * A watch's section within `room` characters: its header, as many of its papers as fit (and as the alert
 * has left of ALERT_PAPERS, numbered after the `before` already listed), and how many more there are.
 * Undefined when not even the header and that count fit.
 */
function renderSection(watch: AlertContent["watches"][number], before: number, room: number): { text: string; shown: number } | undefined {
  const header = `${bold(truncateMarkdown(escapeMarkdown(watch.query), QUERY_SHOWN))} (watch #${watch.watchId})`;
  // Papers not listed: "…and N more" after some, "N new papers" when the alert had no room left for any.
  const moreLine = (more: number) => `\n${more === watch.papers.length ? plural(more, "new paper") : `…and ${more} more`}: ${findMore(watch.query)}`;
  const lines: string[] = [];
  let length = header.length;
  for (const { paper, matched } of watch.papers) {
    if (before + lines.length >= ALERT_PAPERS) break;
    const line = `\n${bold(`${before + lines.length + 1}.`)} ${link(truncateMarkdown(escapeMarkdown(paper.title), TITLE_SHOWN), paperUrl(paper))}\n   matched “${escapeMarkdown(truncate(matched, MATCHED_SHOWN))}”`;
    const remaining = watch.papers.length - lines.length - 1;
    // The line, and the count of the papers after it if any.
    if (length + line.length + (remaining > 0 ? moreLine(remaining).length : 0) > room) break;
    lines.push(line);
    length += line.length;
  }
  const more = watch.papers.length - lines.length;
  const text = header + lines.join("") + (more > 0 ? moreLine(more) : "");
  return text.length <= room ? { text, shown: lines.length } : undefined;
}
