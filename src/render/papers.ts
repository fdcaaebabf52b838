import type { Paper } from "../corpus/paper.ts";
import type { SearchPage } from "../search/engine.ts";
import type { SnippetPart } from "../search/results/snippet.ts";
import { LIMITS } from "../discord-api.ts";
import { safeUrl } from "./urls.ts";
import { bold, escapeMarkdown, link, truncate } from "./markdown.ts";
import type { Button, Embed, EmbedField, Reply } from "./reply.ts";

/** How Discord shows papers: search result pages and a paper's detail card. Plain text in, markdown out. */

const ABSTRACT_BUDGET = 3000;

export function paperUrl(paper: Paper): string | undefined {
  return paper.links.huggingface ?? paper.links.arxiv ?? paper.links.page;
}

/**
 * Where a reader can find a paper: its page, or for a paper known only by its title, a search for it,
 * with as much of the title as fits in a URL (a non-Latin title encodes to nine characters a letter).
 */
function findPaperUrl(paper: Paper): string {
  const own = safeUrl(paperUrl(paper));
  if (own) return own;
  const search = (title: string) => `https://huggingface.co/papers?q=${encodeURIComponent(title)}`;
  const words = [...truncate(paper.title, 150).replace(/…$/, "")];
  while (words.length > 1 && search(words.join("")).length > LIMITS.url) words.splice(Math.floor(words.length * 0.8));
  return search(words.join(""));
}

export function authorsLine(authors: string[], max: number): string {
  if (authors.length === 0) return "";
  const shown: string[] = [];
  for (const author of authors) {
    const rest = authors.length - shown.length - 1;
    const candidate = [...shown, author].join(", ") + (rest ? `, +${rest} more` : "");
    if (candidate.length > max) break;
    shown.push(author);
  }
  const more = authors.length - shown.length;
  return escapeMarkdown(shown.join(", ") + (more ? `${shown.length ? ", " : ""}+${more} more` : ""));
}

/** Month names made once: a locale lookup per date showed up in the time of a search reply. */
const MONTHS = Array.from({ length: 12 }, (_, month) => new Date(Date.UTC(2000, month, 1)).toLocaleString("en", { month: "short", timeZone: "UTC" }));

/** "2024-08-04" (or "--08-04" with no year) as "Aug 4, 2024" / "Aug 4"; a bare year as it is; a month past 12 as it is. */
export function displayDate(date: string | undefined): string | undefined {
  const match = date ? /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(date) : null;
  if (!match) return date;
  const month = MONTHS[Number(match[2]) - 1];
  if (!month) return date;
  return `${month} ${Number(match[3])}${match[1] === "-" ? "" : `, ${match[1]}`}`;
}

/** A month period "2024-03" as "Mar 2024"; any other period (a year) as it is. */
export function periodName(period: string): string {
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  return month ? `${MONTHS[Number(month[2]) - 1]} ${month[1]}` : period;
}

function dateLine(paper: Paper): string {
  const parts = [
    paper.published && `Published ${displayDate(paper.published)}`,
    paper.updated && paper.updated !== paper.published && `updated ${displayDate(paper.updated)}`,
    paper.listed && `Listed ${displayDate(paper.listed)}`,
    paper.venue && escapeMarkdown(paper.venue),
  ];
  return parts.filter(Boolean).join(" · ");
}

const count = (n: number) => n.toLocaleString("en");

/** What the community made of it: "▲ 42 upvotes · ★ 311 stars · 💬 2 comments". */
function communityLine(paper: Paper, short = false): string {
  const parts = [
    paper.upvotes !== undefined && (short ? `▲ ${count(paper.upvotes)}` : `▲ ${count(paper.upvotes)} upvote${paper.upvotes === 1 ? "" : "s"}`),
    paper.stars !== undefined && (short ? `★ ${count(paper.stars)}` : `★ ${count(paper.stars)} GitHub star${paper.stars === 1 ? "" : "s"}`),
    !short && paper.comments && `💬 ${count(paper.comments)} comment${paper.comments === 1 ? "" : "s"}`,
  ];
  return parts.filter(Boolean).join(" · ");
}

function snippetMarkdown(parts: SnippetPart[]): string {
  return parts.map((part) => (part.match ? bold(escapeMarkdown(part.text)) : escapeMarkdown(part.text))).join("");
}

/** The buttons of a result page; the command that owns them builds their ids. */
export interface SearchControls {
  page(label: string, page: number, disabled: boolean): Button | undefined;
  open(label: string, paper: Paper): Button | undefined;
}

/** One numbered paper of a list: its linked title, a line of authors, dates and counts, and an extra line; shortened to its title past `budget`. */
function paperEntry(number: number, paper: Paper, budget: number, extra = ""): string {
  const title = link(escapeMarkdown(truncate(paper.title, 200)), paperUrl(paper));
  const meta = [authorsLine(paper.authors, 120), dateLine(paper), communityLine(paper, true)].filter(Boolean).join(" · ");
  const entry = [`${bold(`${number}.`)} ${title}`, meta, extra].filter(Boolean).join("\n");
  return entry.length <= budget ? entry : `${bold(`${number}.`)} ${link(escapeMarkdown(truncate(paper.title, 150)), paperUrl(paper))}`;
}

/**
 * A numbered list of papers (related papers, trending, saved papers): one embed, and a button to open each
 * of the first ten, in two rows. `first` numbers the list from there (a later page).
 */
export function paperListReply(list: { title: string; papers: readonly Paper[]; footer: string; open: (label: string, paper: Paper) => Button | undefined; first?: number; content?: string }): Reply {
  const first = list.first ?? 1;
  const budget = Math.floor(LIMITS.embedDescription / Math.max(1, list.papers.length)) - 10;
  const open = list.papers.slice(0, 2 * LIMITS.buttonsPerRow).flatMap((paper, i) => list.open(`Open ${first + i}`, paper) ?? []);
  const rows = [open.slice(0, LIMITS.buttonsPerRow), open.slice(LIMITS.buttonsPerRow)].filter((row) => row.length > 0);
  return {
    content: list.content,
    embeds: [{ title: list.title, description: list.papers.map((paper, i) => paperEntry(first + i, paper, budget)).join("\n\n"), footer: list.footer }],
    buttons: rows,
  };
}

export function searchReply(result: SearchPage, corpusSize: number, controls: SearchControls): Reply {
  const perHit = Math.floor(LIMITS.embedDescription / Math.max(1, result.hits.length)) - 10;
  const entries = result.hits.map((hit, i) => paperEntry((result.page - 1) * result.pageSize + i + 1, hit.paper, perHit, snippetMarkdown(hit.snippet)));
  const papers = (count: number) => `${count} ${count === 1 ? "paper" : "papers"}`;
  const counts = result.question
    ? `${papers(result.total)} ${result.byMeaning ? "found by words and meaning" : "share words with the question"}, best first`
    : result.fullMatches === result.total
      ? `${result.total} ${result.total === 1 ? "paper matches" : "papers match"}`
      : `${result.fullMatches} match every word, ${result.total - result.fullMatches} match some`;
  const embed: Embed = {
    title: `Search: ${escapeMarkdown(truncate(result.query.trim(), 200))}`,
    description: entries.join("\n\n"),
    footer: `Page ${result.page}/${result.pageCount} · ${counts} · ${corpusSize} papers searched`,
  };
  const pager = [controls.page("◀ Prev", result.page - 1, result.page <= 1), controls.page("Next ▶", result.page + 1, result.page >= result.pageCount)];
  const open = result.hits.map((hit, i) => controls.open(`Open ${(result.page - 1) * result.pageSize + i + 1}`, hit.paper));
  const rows = (result.pageCount > 1 ? [pager, open] : [open]).map((row) => row.filter((button): button is Button => button !== undefined));
  return { embeds: [embed], buttons: rows.filter((row) => row.length > 0) };
}

function linkButtons(paper: Paper): Button[] {
  const links: Array<[string, string | undefined]> = [
    ["arXiv", paper.links.arxiv],
    ["PDF", paper.links.pdf],
    ["Hugging Face", paper.links.huggingface],
    ["Code", paper.links.code[0]],
    ["Project", paper.links.project],
    ["Paper page", paper.links.arxiv ? undefined : paper.links.page],
  ];
  const buttons = links.flatMap(([label, url]) => {
    const safe = safeUrl(url);
    return safe ? [{ label, url: safe }] : [];
  });
  // A paper known only by its title (a saved listing page) still gets a way to its page.
  if (!safeUrl(paper.links.huggingface) && !safeUrl(paper.links.page)) buttons.push({ label: "Find on Hugging Face", url: findPaperUrl(paper) });
  return buttons.slice(0, LIMITS.buttonsPerRow);
}

export function paperEmbed(paper: Paper): Embed {
  const fields: EmbedField[] = [];
  const authors = authorsLine(paper.authors, LIMITS.fieldValue - 20);
  if (authors) fields.push({ name: "Authors", value: authors });
  if (paper.summary) fields.push({ name: "AI summary (Hugging Face)", value: escapeMarkdown(truncate(paper.summary, 900)) });
  const dates = dateLine(paper);
  if (dates) fields.push({ name: "Date", value: dates, inline: true });
  const community = communityLine(paper);
  if (community) fields.push({ name: "Community", value: community, inline: true });
  if (paper.keywords.length) fields.push({ name: "Keywords", value: escapeMarkdown(truncate(paper.keywords.join(", "), 900)) });
  const code = paper.links.code.slice(0, 5).flatMap((url) => (safeUrl(url) ? [link(escapeMarkdown(url.replace(/^https?:\/\/(www\.)?/, "")), url)] : []));
  if (code.length > 1) fields.push({ name: "Code", value: code.join("\n") });
  fields.push({ name: "Id", value: escapeMarkdown(paper.id), inline: true });
  return {
    title: escapeMarkdown(truncate(paper.title, LIMITS.embedTitle)),
    url: paperUrl(paper),
    description: escapeMarkdown(truncate(paper.abstract || "No abstract available.", ABSTRACT_BUDGET)),
    fields,
    image: safeUrl(paper.links.thumbnail),
  };
}

export function paperReply(paper: Paper, extra: Partial<Reply> = {}): Reply {
  const links = linkButtons(paper);
  return { embeds: [paperEmbed(paper)], buttons: links.length ? [links] : [], ...extra };
}
