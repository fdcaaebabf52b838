import { defineCommand } from "../src/commands/define.ts";
import { stringOption } from "../src/commands/options.ts";
import type { CommandContext } from "../src/commands/types.ts";
import { randomButton } from "../src/render/custom-ids.ts";
import { randomPaper } from "../src/search/results/lookup.ts";
import { bold, escapeMarkdown, truncate } from "../src/render/markdown.ts";
import { paperReply } from "../src/render/papers.ts";
import { ephemeralMessage, type Reply } from "../src/render/reply.ts";

const MAX_TOPIC_LENGTH = 100;

function pick(ctx: CommandContext, topic: string | undefined): Reply {
  const paper = randomPaper(ctx.engine, topic, ctx.random);
  if (!paper) return ephemeralMessage(`No papers match the topic “${escapeMarkdown(truncate(topic ?? "", 100))}”. Try a broader word.`);
  const another = randomButton("🎲 Another one", topic);
  const reply = paperReply(paper, { content: topic ? `🎲 A random paper about ${bold(escapeMarkdown(topic))}` : "🎲 A random paper" });
  return { ...reply, buttons: [...(another ? [[another]] : []), ...(reply.buttons ?? [])] };
}

export default defineCommand({
  name: "random",
  description: "A random paper, optionally on a topic",
  options: {
    topic: stringOption({ description: "Only papers matching these words", maxLength: MAX_TOPIC_LENGTH, noun: "a topic" }),
  },
  examples: ["/random", "/random reinforcement learning"],
  execute: (ctx, { topic }) => pick(ctx, topic),
  component: (ctx, payload) => (payload.length > MAX_TOPIC_LENGTH ? ephemeralMessage("That button is out of date. Run /random again.") : pick(ctx, payload.trim() || undefined)),
});
