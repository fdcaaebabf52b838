import { defineCommand } from "../src/command-kit/define.ts";
import { integerOption, stringOption } from "../src/command-kit/options.ts";
import type { CommandContext } from "../src/command-kit/types.ts";
import { z } from "zod";
import { actionButton } from "../src/command-kit/custom-ids.ts";
import type { SearchControls } from "../src/render/papers.ts";
import { escapeMarkdown, truncate } from "../src/render/markdown.ts";
import { searchReply } from "../src/render/papers.ts";
import { openPaperButton } from "./paper.ts";
import { ephemeralMessage, type Reply } from "../src/render/reply.ts";

const NAME = "search";
export const MAX_QUERY_LENGTH = 200;
export const queryOption = stringOption({ description: "Keywords, an arXiv id or a title", required: true, maxLength: MAX_QUERY_LENGTH, autocomplete: true, noun: "a search query" });

/** A page button's payload: "<page>:<query>". Decoding validates, so a forged id is rejected, not trusted. */
const PagePayload = z.string().regex(/^\d{1,4}:.+$/).transform((payload) => {
  const colon = payload.indexOf(":");
  return { page: Number(payload.slice(0, colon)), query: payload.slice(colon + 1) };
});

const controls = (query: string): SearchControls => ({
  page: (label, page, disabled) => actionButton(NAME, `${Math.max(1, page)}:${query.trim()}`, label, "secondary", disabled),
  open: openPaperButton,
});

/** A page of results as a reply (the CLI asks for other page sizes than Discord's five). */
export function searchAnswer(ctx: CommandContext, query: string, page: number, pageSize?: number): Reply {
  const result = ctx.engine.search(query, { page, pageSize });
  if (result.total === 0) {
    return ephemeralMessage(`No papers match “${escapeMarkdown(truncate(query, 100))}”. Try fewer words, another spelling, or /random for inspiration.`);
  }
  return searchReply(result, ctx.engine.size, controls(query));
}

export default defineCommand({
  name: NAME,
  description: "Search papers by keywords in titles, abstracts and authors",
  options: {
    query: queryOption,
    page: integerOption({ description: "Which page of results (5 per page)", min: 1, max: 1000, noun: "the page" }),
  },
  examples: ["/search knowledge distillation", "/search diffusion page:2"],
  execute: (ctx, { query, page }) => searchAnswer(ctx, query, page ?? 1),
  autocomplete: (ctx, _option, value) =>
    ctx.engine.suggest(value, 25).map((paper) => ({ name: paper.title, value: truncate(paper.title, 100) })),
  component(ctx, payload) {
    const target = PagePayload.safeParse(payload).data;
    if (!target || target.query.length > MAX_QUERY_LENGTH) return ephemeralMessage("That button is out of date. Run /search again.");
    return { ...searchAnswer(ctx, target.query, target.page), replaceSource: true };
  },
});
