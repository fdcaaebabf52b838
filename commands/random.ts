import { defineCommand } from "../src/command-kit/define.ts";
import { stringOption } from "../src/command-kit/options.ts";
import type { CommandContext } from "../src/command-kit/types.ts";
import { actionButton } from "../src/command-kit/custom-ids.ts";
import { randomPaper } from "../src/search/results/lookup.ts";
import { bold, escapeMarkdown, truncate } from "../src/render/markdown.ts";
import { ephemeralMessage, type Reply } from "../src/render/reply.ts";
import { paperCard } from "./paper.ts";

const NAME = "random";
const MAX_TOPIC_LENGTH = 100;

function pick(ctx: CommandContext, topic: string | undefined): Reply {
  const paper = randomPaper(ctx.engine, topic, ctx.random);
  if (!paper) return ephemeralMessage(`No papers match the topic “${escapeMarkdown(truncate(topic ?? "", 100))}”. Try a broader word.`);
  const another = actionButton(NAME, topic?.trim() ?? "", "🎲 Another one");
  const reply = paperCard(paper, { content: topic ? `🎲 A random paper about ${bold(escapeMarkdown(topic))}` : "🎲 A random paper" });
  return { ...reply, buttons: [...(another ? [[another]] : []), ...(reply.buttons ?? [])] };
}

export default defineCommand({
  name: NAME,
  description: "A random paper, optionally on a topic",
  options: {
    topic: stringOption({ description: "Only papers matching these words", maxLength: MAX_TOPIC_LENGTH, noun: "a topic" }),
  },
  examples: ["/random", "/random reinforcement learning"],
  execute: (ctx, { topic }) => pick(ctx, topic),
  component: (ctx, payload) => (payload.length > MAX_TOPIC_LENGTH ? ephemeralMessage("That button is out of date. Run /random again.") : pick(ctx, payload.trim() || undefined)),
});
