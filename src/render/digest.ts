import type { Paper } from "../corpus/paper.ts";
import { authorsLine, paperUrl } from "./papers.ts";
import { sentences } from "../text/sentences.ts";
import { bold, escapeMarkdown, link, truncate } from "./markdown.ts";
import type { Embed, Reply } from "./reply.ts";

/** How a digest post looks: a header line, then one embed per paper; the footer marks which slot it is. */

/** Identifies a digest post in a channel (checked after a crash, so a slot is never posted twice). */
export function digestMarker(subscriptionId: number, slotKey: string): string {
  return `Digest #${subscriptionId} · ${slotKey}`;
}

/** The first one or two sentences, at most `max` characters: what a reader skims in a digest. */
export function shortSummary(paper: Paper, max = 300): string {
  if (paper.summary) return truncate(paper.summary, max);
  // Only the beginning is needed: splitting a 40,000-character abstract would be wasted work.
  const [first, second] = sentences(paper.abstract.slice(0, max * 2)).map((sentence) => sentence.text);
  let summary = first ?? "";
  if (second && summary.length + second.length < max) summary = `${summary} ${second}`;
  return truncate(summary, max);
}

function paperEntry(paper: Paper): Embed {
  const links = [
    ["arXiv", paper.links.arxiv],
    ["PDF", paper.links.pdf],
    ["Code", paper.links.code[0]],
    ["Project", paper.links.project],
  ].flatMap(([label, url]) => (url ? [link(label!, url)] : []));
  const authors = authorsLine(paper.authors, 200);
  return {
    title: escapeMarkdown(truncate(paper.title, 250)),
    url: paperUrl(paper),
    description: [authors && `*${authors}*`, escapeMarkdown(shortSummary(paper)), links.join(" · ")].filter(Boolean).join("\n"),
  };
}

export interface DigestContent {
  subscriptionId: number;
  slotKey: string;
  /** The local date of the slot, as a reader would say it: "Fri, Nov 27". */
  dateLabel: string;
  papers: Paper[];
  topics: string;
  recycled: boolean;
}

export function digestReply(digest: DigestContent): Reply {
  const marker = digestMarker(digest.subscriptionId, digest.slotKey);
  if (digest.papers.length === 0) {
    return {
      embeds: [{ title: `📰 Paper digest · ${digest.dateLabel}`, description: "No new papers since the last digest. I will post again when there are some.", footer: marker }],
    };
  }
  const count = `${digest.papers.length} ${digest.recycled ? "papers from the archive" : digest.papers.length === 1 ? "new paper" : "new papers"}`;
  const topics = digest.topics ? ` on ${bold(escapeMarkdown(truncate(digest.topics, 100)))}` : "";
  const entries = digest.papers.map(paperEntry);
  entries[entries.length - 1] = { ...entries.at(-1)!, footer: `${marker} · /search finds more` };
  return { content: `📰 ${bold("Paper digest")} · ${digest.dateLabel} · ${count}${topics}`, embeds: entries };
}
