import { actionButton } from "../src/command-kit/custom-ids.ts";
import { defineCommand } from "../src/command-kit/define.ts";
import { namedPaper, paperOption, suggestPapers } from "../src/command-kit/paper-option.ts";
import type { Paper } from "../src/corpus/paper.ts";
import { escapeMarkdown, truncate } from "../src/render/markdown.ts";
import { paperReply } from "../src/render/papers.ts";
import { ephemeralMessage, type Button, type Reply } from "../src/render/reply.ts";
import { askAboutButton } from "./ask.ts";
import { relatedButton } from "./related.ts";
import { saveButton } from "./saved.ts";

const NAME = "paper";

/** A button that opens a paper in full: other commands' replies (search results, digests) use it. */
export const openPaperButton = (label: string, paper: Paper) => actionButton(NAME, paper.id, label);

/** A paper in full, with what one can do next with it: ask about it, see related papers, save it. */
export function paperCard(paper: Paper, extra: Partial<Reply> = {}): Reply {
  const reply = paperReply(paper, extra);
  const next = [askAboutButton(paper), relatedButton(paper), saveButton(paper)].filter((button): button is Button => button !== undefined);
  return { ...reply, buttons: [...(reply.buttons ?? []), ...(next.length ? [next] : [])] };
}

export default defineCommand({
  name: NAME,
  description: "Show a paper in full: title, authors, date, abstract and links",
  options: { paper: paperOption },
  examples: ["/paper 2408.01234", "/paper Grokking as the Transition from Lazy to Rich Training Dynamics"],
  execute(ctx, { paper: reference }) {
    const found = namedPaper(ctx, reference);
    if (!("paper" in found)) return found;
    return paperCard(found.paper, found.exact ? {} : { content: `Closest match for “${escapeMarkdown(truncate(reference, 100))}”:` });
  },
  autocomplete: (ctx, _option, value) => suggestPapers(ctx, value),
  component(ctx, payload) {
    const paper = ctx.engine.get(payload);
    return paper ? paperCard(paper) : ephemeralMessage("That paper is no longer in the corpus. Try /search.");
  },
});
