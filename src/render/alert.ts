import type { Paper } from "../corpus/paper.ts";
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

/**
 * One alert message: the new papers of each watch, each saying which words of the watch it matched, at most
 * ALERT_PAPERS in all; a watch with more says how many more, and how to find them.
 */
export function alertReply(alert: AlertContent): Reply {
  const total = alert.watches.reduce((sum, watch) => sum + watch.papers.length, 0);
  const sections: string[] = [];
  const listed: Paper[] = [];
  for (const watch of alert.watches) {
    const room = Math.max(0, ALERT_PAPERS - listed.length);
    const shown = watch.papers.slice(0, room);
    const lines = shown.map(({ paper, matched }) => {
      listed.push(paper);
      return `${bold(`${listed.length}.`)} ${link(escapeMarkdown(truncate(paper.title, 150)), paperUrl(paper))}\n   matched “${escapeMarkdown(truncate(matched, 80))}”`;
    });
    const more = watch.papers.length - shown.length;
    if (more > 0) lines.push(`…and ${more} more: /search ${escapeMarkdown(truncate(watch.query, 100))}`);
    sections.push([`${bold(escapeMarkdown(truncate(watch.query, 100)))} (watch #${watch.watchId})`, ...lines].join("\n"));
  }
  return {
    content: `🔔 ${total} new paper${total === 1 ? "" : "s"} for ${alert.watches.length === 1 ? "your watch" : `${alert.watches.length} watches`}`,
    embeds: [{ title: "New papers on what you watch", description: sections.join("\n\n"), footer: `${alertMarker(alert.batchId)} · /watch list to manage` }],
  };
}
