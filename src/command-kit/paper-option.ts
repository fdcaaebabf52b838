import type { Paper } from "../corpus/paper.ts";
import { escapeMarkdown, truncate } from "../render/markdown.ts";
import { ephemeralMessage, type Reply } from "../render/reply.ts";
import { findPaper } from "../search/results/lookup.ts";
import { stringOption } from "./options.ts";
import type { CommandContext } from "./types.ts";

/**
 * A paper named by id or title, with suggestions as one types: every command about one paper takes it.
 * It lives here rather than in commands/paper.ts so that commands whose buttons appear on a paper's card
 * (related, saved) can use it without importing each other in a cycle.
 */
export const paperOption = stringOption({ description: "arXiv id, paper id or title (suggestions as you type)", required: true, maxLength: 300, autocomplete: true, noun: "a paper id or title" });

export const suggestPapers = (ctx: CommandContext, value: string) => ctx.engine.suggest(value, 25).map((paper) => ({ name: paper.title, value: paper.id }));

/** The paper a user named, or the message saying none was found. */
export function namedPaper(ctx: CommandContext, reference: string): { paper: Paper; exact: boolean } | Reply {
  const found = findPaper(ctx.engine, reference);
  return found ?? ephemeralMessage(`No paper found for “${escapeMarkdown(truncate(reference, 100))}”. Try /search with a few keywords.`);
}
