import { z } from "zod";
import { actionButton } from "../src/command-kit/custom-ids.ts";
import { defineCommand } from "../src/command-kit/define.ts";
import { integerOption, stringOption } from "../src/command-kit/options.ts";
import type { CommandContext } from "../src/command-kit/types.ts";
import { LIMITS } from "../src/discord-api.ts";
import { escapeMarkdown, truncate } from "../src/render/markdown.ts";
import { searchReply, type SearchControls } from "../src/render/papers.ts";
import { ephemeralMessage, type Reply } from "../src/render/reply.ts";
import { hybridSearch } from "../src/embeddings/hybrid.ts";
import type { SearchPage } from "../src/search/engine.ts";
import { QUERY_ID } from "../src/store/queries.ts";
import { openPaperButton } from "./paper.ts";

const NAME = "search";
/** A whole question fits: a paragraph describing what someone needs. */
export const MAX_QUERY_LENGTH = 1000;
export const queryOption = stringOption({
  description: "Keywords, an arXiv id, a title, or a question in your own words",
  required: true,
  maxLength: MAX_QUERY_LENGTH,
  autocomplete: true,
  noun: "a search query",
});

/**
 * A page button's payload: "<page>:<query>" when the query fits in the button's id, else "<page>~<id>"
 * with the query saved under that id (src/store/queries.ts). Decoding validates: a forged id is refused.
 */
const PagePayload = z.union([
  z.string().regex(/^\d{1,4}:.+$/).transform((payload) => ({ page: Number(payload.split(":", 1)[0]), query: payload.slice(payload.indexOf(":") + 1), id: undefined })),
  z.string().regex(new RegExp(`^\\d{1,4}~${QUERY_ID.source.slice(1, -1)}$`)).transform((payload) => ({ page: Number(payload.split("~", 1)[0]), query: undefined, id: payload.slice(payload.indexOf("~") + 1) })),
]);

/** Page buttons for `query`: carrying it, or its saved id when it is too long; none when it can be neither. */
async function pageButtons(ctx: CommandContext, query: string): Promise<SearchControls["page"]> {
  const inline = `${NAME}:9999:${query}`.length <= LIMITS.customId;
  const saved = inline ? undefined : await ctx.queries?.save(query, ctx.now());
  if (!inline && !saved) return () => undefined;
  return (label, page, disabled) => actionButton(NAME, inline ? `${Math.max(1, page)}:${query}` : `${Math.max(1, page)}~${saved}`, label, "secondary", disabled);
}

/** A page of results, by words and (for a question, with an embeddings endpoint) by meaning. */
export function searchPage(ctx: CommandContext, query: string, page: number, pageSize?: number): Promise<SearchPage> {
  return hybridSearch(ctx.engine, ctx.semantic, query, { page, pageSize });
}

/** A page of results as a reply (the CLI asks for other page sizes than Discord's five). */
export async function searchAnswer(ctx: CommandContext, query: string, page: number, pageSize?: number): Promise<Reply> {
  const trimmed = query.trim();
  const result = await searchPage(ctx, trimmed, page, pageSize);
  if (result.total === 0) {
    return ephemeralMessage(`No papers match “${escapeMarkdown(truncate(trimmed, 100))}”. Try fewer words, another spelling, or /random for inspiration.`);
  }
  return searchReply(result, ctx.engine.size, { page: await pageButtons(ctx, trimmed), open: openPaperButton });
}

export default defineCommand({
  name: NAME,
  description: "Search papers: keywords, a title, or a question in your own words",
  options: {
    query: queryOption,
    page: integerOption({ description: "Which page of results (5 per page)", min: 1, max: 1000, noun: "the page" }),
  },
  examples: ["/search knowledge distillation", "/search diffusion page:2", "/search how do I keep UNet skip connections stable when training diffusion models?"],
  execute: (ctx, { query, page }) => searchAnswer(ctx, query, page ?? 1),
  autocomplete: (ctx, _option, value) =>
    ctx.engine.suggest(value, 25).map((paper) => ({ name: paper.title, value: truncate(paper.title, 100) })),
  async component(ctx, payload) {
    const target = PagePayload.safeParse(payload).data;
    const query = target?.query ?? (target?.id ? await ctx.queries?.get(target.id, ctx.now()) : undefined);
    if (!target || query === undefined || query.length > MAX_QUERY_LENGTH) return ephemeralMessage("That search is out of date. Run /search again.");
    return { ...(await searchAnswer(ctx, query, target.page)), replaceSource: true };
  },
});
