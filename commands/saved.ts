import { actionButton } from "../src/command-kit/custom-ids.ts";
import { defineCommandGroup, subcommand, UserInputError } from "../src/command-kit/define.ts";
import { choiceOption, integerOption, stringOption } from "../src/command-kit/options.ts";
import { suggestPapers } from "../src/command-kit/paper-option.ts";
import type { CommandContext, Invocation } from "../src/command-kit/types.ts";
import type { Paper } from "../src/corpus/paper.ts";
import { LIMITS } from "../src/discord-api.ts";
import { toRecord } from "../src/ingest/store.ts";
import { papersToBibtex } from "../src/render/bibtex.ts";
import { escapeMarkdown, truncate } from "../src/render/markdown.ts";
import { paperListReply } from "../src/render/papers.ts";
import { ephemeralMessage, type Reply } from "../src/render/reply.ts";
import { MAX_SAVED, type SavedPapers } from "../src/store/saved.ts";
import { openPaperButton } from "./paper.ts";

const NAME = "saved";
const PAGE_SIZE = 10;

/** The Save button of a paper's card. */
export const saveButton = (paper: Paper) => actionButton(NAME, `add:${paper.id}`, "Save", "success");

function store(ctx: CommandContext) {
  if (!ctx.saved) throw new UserInputError("Saving papers needs the bot's database, which this session does not have.");
  return ctx.saved;
}

/**
 * Each person's saved paper ids as last read, per store, for /saved remove's suggestions: autocomplete
 * answers at once, without the database. Filled by list, export, save and remove (and refreshed in the
 * background by autocomplete itself); someone not in it gets the corpus's suggestions meanwhile. At most
 * CACHED_USERS people, the least recently read forgotten first.
 */
const CACHED_USERS = 1000;
const CACHE_FRESH_MS = 10_000;
const savedIdsCache = new WeakMap<SavedPapers, Map<string, { ids: string[]; at: number }>>();

function cacheOf(saved: SavedPapers) {
  let cache = savedIdsCache.get(saved);
  if (!cache) savedIdsCache.set(saved, (cache = new Map()));
  return cache;
}

function remember(saved: SavedPapers, userId: string, ids: string[]): void {
  const cache = cacheOf(saved);
  cache.delete(userId);
  cache.set(userId, { ids, at: Date.now() });
  if (cache.size > CACHED_USERS) cache.delete(cache.keys().next().value!);
}

async function savedIds(ctx: CommandContext, userId: string): Promise<string[]> {
  const ids = await store(ctx).list(userId);
  remember(store(ctx), userId, ids);
  return ids;
}

/** The saved papers still in the corpus, newest saved first, and how many are gone from it. */
async function savedPapers(ctx: CommandContext, userId: string): Promise<{ papers: Paper[]; gone: number }> {
  const ids = await savedIds(ctx, userId);
  const papers = ids.flatMap((id) => ctx.engine.get(id) ?? []);
  return { papers, gone: ids.length - papers.length };
}

async function listPage(ctx: CommandContext, invocation: Invocation, requested: number, replaceSource = false): Promise<Reply> {
  const { papers, gone } = await savedPapers(ctx, invocation.userId);
  if (papers.length === 0) return ephemeralMessage("You have no saved papers. Press Save on any paper (/paper, /search, /random) to keep it here.");
  const pages = Math.ceil(papers.length / PAGE_SIZE);
  const page = Math.min(Math.max(1, requested), pages);
  const shown = papers.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const reply = paperListReply({
    title: "Your saved papers",
    papers: shown,
    first: (page - 1) * PAGE_SIZE + 1,
    footer: `Page ${page}/${pages} · ${papers.length} saved${gone ? ` · ${gone} no longer in the corpus` : ""} · /saved export for BibTeX`,
    open: openPaperButton,
  });
  const pager = [actionButton(NAME, `page:${page - 1}`, "◀ Prev", "secondary", page <= 1), actionButton(NAME, `page:${page + 1}`, "Next ▶", "secondary", page >= pages)].filter((button) => button !== undefined);
  return { ...reply, ephemeral: true, replaceSource, buttons: [...(pages > 1 ? [pager] : []), ...(reply.buttons ?? [])] };
}

async function exportFile(ctx: CommandContext, invocation: Invocation, format: "bibtex" | "jsonl"): Promise<Reply> {
  const { papers, gone } = await savedPapers(ctx, invocation.userId);
  if (papers.length === 0) return ephemeralMessage("You have no saved papers to export. Press Save on any paper first.");
  const text = format === "bibtex" ? papersToBibtex(papers) : papers.map((paper) => JSON.stringify(toRecord(paper))).join("\n") + "\n";
  const data = new TextEncoder().encode(text);
  // MAX_SAVED keeps this far below the limit; a guard all the same, so that nothing is dropped unsaid.
  if (data.byteLength > LIMITS.fileBytes) return ephemeralMessage("Your saved papers make a file larger than Discord accepts. Remove some with /saved remove, or export as the other format.");
  const name = format === "bibtex" ? "paperbot-saved.bib" : "paperbot-saved.jsonl";
  const what = format === "bibtex" ? "BibTeX (arXiv papers as @misc with eprint)" : "JSON Lines (paperbot's own records, loadable as a corpus)";
  return {
    ephemeral: true,
    content: `Your ${papers.length} saved paper${papers.length === 1 ? "" : "s"} as ${what}.${gone ? ` ${gone} saved paper(s) are no longer in the corpus and are left out.` : ""}`,
    files: [{ name, data, description: `${papers.length} saved papers` }],
  };
}

export default defineCommandGroup({
  name: NAME,
  description: "Papers you saved with the Save button: list, remove, export as BibTeX",
  examples: ["/saved list", "/saved export format:bibtex", "/saved remove paper:2408.01234"],
  subcommands: {
    list: subcommand({
      description: "Your saved papers, newest first (only you see them)",
      options: { page: integerOption({ description: "Page number", min: 1, max: MAX_SAVED, noun: "the page" }) },
      execute: (ctx, { page }, invocation) => listPage(ctx, invocation, page ?? 1),
    }),
    remove: subcommand({
      description: "Forget a saved paper",
      options: { paper: stringOption({ description: "The paper (suggestions from your saved ones)", required: true, maxLength: 300, autocomplete: true, noun: "a paper id" }) },
      async execute(ctx, { paper: reference }, invocation) {
        const paper = ctx.engine.get(reference) ?? ctx.engine.exact(reference);
        const id = paper?.id ?? reference.trim();
        const removed = await store(ctx).remove(invocation.userId, id);
        const left = (await savedIds(ctx, invocation.userId)).length;
        if (!removed) return ephemeralMessage(`“${escapeMarkdown(truncate(reference, 100))}” is not among your saved papers. See /saved list.`);
        return ephemeralMessage(`Removed “${escapeMarkdown(truncate(paper?.title ?? id, 150))}” from your saved papers (${left} left).`);
      },
    }),
    export: subcommand({
      description: "Your saved papers as a file: BibTeX (default) or JSON Lines",
      options: { format: choiceOption({ description: "File format (default BibTeX)", values: ["bibtex", "jsonl"], names: { bibtex: "BibTeX (.bib)", jsonl: "JSON Lines (.jsonl)" }, noun: "the format" }) },
      execute: (ctx, { format }, invocation) => exportFile(ctx, invocation, format ?? "bibtex"),
    }),
  },
  autocomplete(ctx, _option, value, invocation) {
    if (!ctx.saved) return suggestPapers(ctx, value);
    const saved = ctx.saved;
    const cached = cacheOf(saved).get(invocation.userId);
    if (!cached || Date.now() - cached.at > CACHE_FRESH_MS) {
      // For the next keystroke: this answer cannot wait for the database.
      void saved.list(invocation.userId).then(
        (ids) => remember(saved, invocation.userId, ids),
        (error: unknown) => ctx.logger.warn({ err: error }, "saved papers not read for suggestions"),
      );
    }
    if (!cached) return suggestPapers(ctx, value);
    const typed = value.trim().toLowerCase();
    return cached.ids
      .flatMap((id) => ctx.engine.get(id) ?? [])
      .filter((paper) => !typed || paper.title.toLowerCase().includes(typed) || paper.id.includes(typed))
      .slice(0, 25)
      .map((paper) => ({ name: paper.title, value: paper.id }));
  },
  async component(ctx, payload, invocation) {
    const [action, argument = ""] = [payload.slice(0, payload.indexOf(":")), payload.slice(payload.indexOf(":") + 1)];
    if (action === "page" && /^\d{1,4}$/.test(argument)) return listPage(ctx, invocation, Number(argument), true);
    if (action !== "add") return ephemeralMessage("That button is out of date. Run /saved list again.");
    const paper = ctx.engine.get(argument);
    if (!paper) return ephemeralMessage("That paper is no longer in the corpus. Try /search.");
    const title = `“${escapeMarkdown(truncate(paper.title, 150))}”`;
    const outcome = await store(ctx).save(invocation.userId, paper.id, ctx.now());
    if (outcome === "full") return ephemeralMessage(`You already have ${MAX_SAVED} saved papers, the most one can keep. Remove some with /saved remove, then save ${title} again.`);
    const count = (await savedIds(ctx, invocation.userId)).length;
    return ephemeralMessage(`${outcome === "saved" ? "Saved" : "Already saved:"} ${title}. You have ${count} saved paper${count === 1 ? "" : "s"}: /saved list, /saved export.`);
  },
});
