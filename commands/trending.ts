import { defineCommand } from "../src/command-kit/define.ts";
import { choiceOption, stringOption } from "../src/command-kit/options.ts";
import { topicsInput } from "../src/command-kit/topics.ts";
import { bold, escapeMarkdown, truncate } from "../src/render/markdown.ts";
import { displayDate, paperListReply } from "../src/render/papers.ts";
import { ephemeralMessage } from "../src/render/reply.ts";
import { formatTopics, topicTest } from "../src/search/query/topics.ts";
import { TRENDING_PERIODS, trending } from "../src/search/results/trending.ts";
import { openPaperButton } from "./paper.ts";

const SHOWN = 10;
const LABEL = { today: "today", week: "this week", month: "this month", year: "this year" } as const;

export default defineCommand({
  name: "trending",
  description: "The most upvoted papers of today, this week, month or year, optionally on a topic",
  options: {
    period: choiceOption({ description: "Which listing days (default: this week)", values: TRENDING_PERIODS, names: { today: "Today", week: "This week", month: "This month", year: "This year" }, noun: "the period" }),
    topic: stringOption({ description: "Only papers on this, e.g. diffusion, -survey", maxLength: 200, noun: "a topic" }),
  },
  examples: ["/trending", "/trending period:month topic:diffusion"],
  execute(ctx, { period = "week", topic }) {
    const topics = topicsInput(topic);
    const on = topic ? ` on ${bold(escapeMarkdown(truncate(formatTopics(topics), 100)))}` : "";
    const result = trending(ctx.engine, { period, now: ctx.now(), limit: SHOWN, onTopic: topic ? topicTest(ctx.engine, topics) : undefined });
    if (result.papers.length === 0) {
      const span = result.from ? ` listed ${displayDate(result.from)} – ${displayDate(result.to)}` : "";
      return ephemeralMessage(`No papers${span}${on}. Try a longer period (period:month or year)${topic ? " or another topic" : ""}.`);
    }
    // A corpus without upvote counts (conference papers) has no ranking by votes: say so rather than pretend.
    const order = result.papers.some((paper) => paper.upvotes !== undefined) ? "most upvoted first, ties newest first" : "newest first (no upvote counts for these papers)";
    const days = result.from === result.to ? displayDate(result.to) : `${displayDate(result.from)} – ${displayDate(result.to)}`;
    return paperListReply({
      title: `Trending ${LABEL[period]}${topic ? ` on ${escapeMarkdown(truncate(formatTopics(topics), 100))}` : ""}`,
      papers: result.papers,
      footer: `${days} · ${order} · ${result.total.toLocaleString("en")} paper${result.total === 1 ? "" : "s"} in the period`,
      open: openPaperButton,
    });
  },
});
