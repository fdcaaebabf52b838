import { actionButton } from "../src/command-kit/custom-ids.ts";
import { defineCommand } from "../src/command-kit/define.ts";
import { namedPaper, paperOption, suggestPapers } from "../src/command-kit/paper-option.ts";
import type { CommandContext } from "../src/command-kit/types.ts";
import type { Paper } from "../src/corpus/paper.ts";
import { escapeMarkdown, truncate } from "../src/render/markdown.ts";
import { paperListReply } from "../src/render/papers.ts";
import { ephemeralMessage, type Reply } from "../src/render/reply.ts";
import { openPaperButton } from "./paper.ts";

const NAME = "related";
const SHOWN = 5;

/** The Related button of a paper's card. */
export const relatedButton = (paper: Paper) => actionButton(NAME, paper.id, "Related", "secondary");

/**
 * Papers most like one: by meaning when the paper has a vector (an embeddings endpoint is configured),
 * else by the distinctive words they share (src/search/query/more-like-this.ts).
 */
function relatedReply(ctx: CommandContext, paper: Paper): Reply {
  const similar = ctx.semantic?.similarToPaper(paper.id, SHOWN)?.flatMap(({ id }) => ctx.engine.get(id) ?? []);
  const byMeaning = similar !== undefined && similar.length > 0;
  const papers = byMeaning ? similar : ctx.engine.related(paper, SHOWN);
  if (papers.length === 0) return ephemeralMessage(`No paper in the corpus is much like “${escapeMarkdown(truncate(paper.title, 100))}”.`);
  return paperListReply({
    title: `Related to: ${escapeMarkdown(truncate(paper.title, 200))}`,
    papers,
    footer: byMeaning ? "Closest in meaning (by embeddings)" : "Sharing its most distinctive words",
    open: openPaperButton,
  });
}

export default defineCommand({
  name: NAME,
  description: "Papers most like a given one",
  options: { paper: paperOption },
  examples: ["/related 2408.01234"],
  execute(ctx, { paper: reference }) {
    const found = namedPaper(ctx, reference);
    return "paper" in found ? relatedReply(ctx, found.paper) : found;
  },
  autocomplete: (ctx, _option, value) => suggestPapers(ctx, value),
  component(ctx, payload) {
    const paper = ctx.engine.get(payload);
    return paper ? relatedReply(ctx, paper) : ephemeralMessage("That paper is no longer in the corpus. Try /search.");
  },
});
