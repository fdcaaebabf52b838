import { actionButton } from "../src/command-kit/custom-ids.ts";
import { defineCommand } from "../src/command-kit/define.ts";
import { stringOption } from "../src/command-kit/options.ts";
import type { Paper } from "../src/corpus/paper.ts";
import { escapeMarkdown, truncate } from "../src/render/markdown.ts";
import { paperReply } from "../src/render/papers.ts";
import { ephemeralMessage, type Reply } from "../src/render/reply.ts";
import { findPaper } from "../src/search/results/lookup.ts";
import { askAboutButton } from "./ask.ts";

const NAME = "paper";

/** A button that opens a paper in full: other commands' replies (search results, digests) use it. */
export const openPaperButton = (label: string, paper: Paper) => actionButton(NAME, paper.id, label);

/** A paper in full, with what one can do next with it (ask about it). */
export function paperCard(paper: Paper, extra: Partial<Reply> = {}): Reply {
  const reply = paperReply(paper, extra);
  const ask = askAboutButton(paper);
  return { ...reply, buttons: [...(reply.buttons ?? []), ...(ask ? [[ask]] : [])] };
}

export default defineCommand({
  name: NAME,
  description: "Show a paper in full: title, authors, date, abstract and links",
  options: {
    paper: stringOption({ description: "arXiv id, paper id or title (suggestions as you type)", required: true, maxLength: 300, autocomplete: true, noun: "a paper id or title" }),
  },
  examples: ["/paper 2408.01234", "/paper Grokking as the Transition from Lazy to Rich Training Dynamics"],
  execute(ctx, { paper: reference }) {
    const found = findPaper(ctx.engine, reference);
    const quoted = `“${escapeMarkdown(truncate(reference, 100))}”`;
    if (!found) return ephemeralMessage(`No paper found for ${quoted}. Try /search with a few keywords.`);
    return paperCard(found.paper, found.exact ? {} : { content: `Closest match for ${quoted}:` });
  },
  autocomplete: (ctx, _option, value) => ctx.engine.suggest(value, 25).map((paper) => ({ name: paper.title, value: paper.id })),
  component(ctx, payload) {
    const paper = ctx.engine.get(payload);
    return paper ? paperCard(paper) : ephemeralMessage("That paper is no longer in the corpus. Try /search.");
  },
});
