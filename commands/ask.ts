import { actionButton } from "../src/command-kit/custom-ids.ts";
import { defineCommand } from "../src/command-kit/define.ts";
import { stringOption } from "../src/command-kit/options.ts";
import type { CommandContext, Invocation } from "../src/command-kit/types.ts";
import type { Paper } from "../src/corpus/paper.ts";
import { answerReply } from "../src/render/answer.ts";
import { ephemeralMessage, type Reply } from "../src/render/reply.ts";
import { openPaperButton } from "./paper.ts";

const NAME = "ask";
/** A question, or a paragraph describing what one needs. */
export const MAX_QUESTION_LENGTH = 1000;
const questionOption = stringOption({ description: "Your question, in your own words", required: true, maxLength: MAX_QUESTION_LENGTH, noun: "a question" });

/** What a question must be, wherever it comes from (the CLI checks it too). */
export const questionSchema = questionOption.schema;

/** The button on a paper's card that opens a form to ask about that paper alone. */
export const askAboutButton = (paper: Paper) => actionButton(NAME, `about:${paper.id}`, "Ask about this paper", "secondary");

/** Answers a question (about one paper, when given) and shows the answer with its sources. */
export async function answer(ctx: CommandContext, question: string, invocation: Invocation, paper?: Paper): Promise<Reply> {
  if (!ctx.asker) return ephemeralMessage("Answers are not available in this session.");
  const progress = invocation.progress;
  const result = await ctx.asker.ask(question.trim(), {
    userId: invocation.userId,
    paper,
    onProgress: progress && ((partial) => progress(answerReply(partial, openPaperButton))),
  });
  return answerReply(result, openPaperButton);
}

export default defineCommand({
  name: NAME,
  description: "Ask a question: an answer from the papers, each claim citing its paper",
  options: { question: questionOption },
  examples: ["/ask how do you keep UNet skip connections stable when training diffusion models?"],
  deferred: true,
  execute: (ctx, { question }, invocation) => answer(ctx, question, invocation),
  component(ctx, payload) {
    const paper = payload.startsWith("about:") ? ctx.engine.get(payload.slice("about:".length)) : undefined;
    if (!paper) return ephemeralMessage("That paper is no longer in the corpus. Try /search.");
    return { modal: { customId: `${NAME}:${paper.id}`, title: "Ask about this paper", field: { id: "question", label: "Your question", placeholder: paper.title.slice(0, 100), maxLength: MAX_QUESTION_LENGTH } } };
  },
  async modal(ctx, payload, fields, invocation) {
    const paper = ctx.engine.get(payload);
    if (!paper) return ephemeralMessage("That paper is no longer in the corpus. Try /search.");
    const question = questionOption.schema.safeParse(fields.question);
    if (!question.success) return ephemeralMessage(question.error.issues[0]?.message ?? "Please give a question.");
    return answer(ctx, question.data, invocation, paper);
  },
});
