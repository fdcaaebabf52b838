import { defineCommand } from "../src/commands/define.ts";
import { integerOption, stringOption } from "../src/commands/options.ts";
import type { CommandContext } from "../src/commands/types.ts";
import { decodeSearchPage } from "../src/render/custom-ids.ts";
import { escapeMarkdown, truncate } from "../src/render/markdown.ts";
import { searchReply } from "../src/render/papers.ts";
import { ephemeralMessage, type Reply } from "../src/render/reply.ts";

export const MAX_QUERY_LENGTH = 200;
export const queryOption = stringOption({ description: "Keywords, an arXiv id or a title", required: true, maxLength: MAX_QUERY_LENGTH, autocomplete: true, noun: "a search query" });

function answer(ctx: CommandContext, query: string, page: number): Reply {
  const result = ctx.engine.search(query, { page });
  if (result.total === 0) {
    return ephemeralMessage(`No papers match “${escapeMarkdown(truncate(query, 100))}”. Try fewer words, another spelling, or /random for inspiration.`);
  }
  return searchReply(result, ctx.engine.size);
}

export default defineCommand({
  name: "search",
  description: "Search papers by keywords in titles, abstracts and authors",
  options: {
    query: queryOption,
    page: integerOption({ description: "Which page of results (5 per page)", min: 1, max: 1000, noun: "the page" }),
  },
  examples: ["/search knowledge distillation", "/search diffusion page:2"],
  execute: (ctx, { query, page }) => answer(ctx, query, page ?? 1),
  autocomplete: (ctx, _option, value) =>
    ctx.engine.suggest(value, 25).map((paper) => ({ name: paper.title, value: truncate(paper.title, 100) })),
  component(ctx, payload) {
    const target = decodeSearchPage(payload);
    if (!target || target.query.length > MAX_QUERY_LENGTH) return ephemeralMessage("That button is out of date. Run /search again.");
    return { ...answer(ctx, target.query, target.page), replaceSource: true };
  },
});
