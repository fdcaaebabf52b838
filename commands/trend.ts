import { renderTrendChart } from "../src/charts/trend-chart.ts";
import { defineCommand } from "../src/command-kit/define.ts";
import { stringOption } from "../src/command-kit/options.ts";
import { topicsInput } from "../src/command-kit/topics.ts";
import { bold, escapeMarkdown, truncate } from "../src/render/markdown.ts";
import { periodName } from "../src/render/papers.ts";
import { ephemeralMessage } from "../src/render/reply.ts";
import { formatTopics, topicTest } from "../src/search/query/topics.ts";
import { describeChange, topicTrend } from "../src/search/results/trend.ts";

const topicOption = (description: string, required: boolean) =>
  required ? stringOption({ description, required: true, maxLength: 100, noun: "a topic" }) : stringOption({ description, maxLength: 100, noun: "a topic" });

export default defineCommand({
  name: "trend",
  description: "A chart of how many papers a topic has per month or year, up to three compared",
  options: {
    topic: topicOption("A topic, e.g. diffusion models", true),
    vs: topicOption("A second topic to compare", false),
    vs2: topicOption("A third topic to compare", false),
  },
  examples: ["/trend topic:diffusion", "/trend topic:diffusion vs:gan vs2:transformer"],
  execute(ctx, options) {
    const typed = [options.topic, options.vs, options.vs2].filter((text): text is string => Boolean(text?.trim()));
    const topics = typed.map((text) => {
      const parsed = topicsInput(text);
      return { label: truncate(formatTopics(parsed), 40), test: topicTest(ctx.engine, parsed) };
    });
    const trend = topicTrend(ctx.engine, topics, ctx.now());
    const names = topics.map((topic) => topic.label).join(" vs ");
    if (trend.periods.length === 0) return ephemeralMessage(`No paper with a dated year matches ${bold(escapeMarkdown(names))}. Try other words, or /search to see what the corpus has.`);
    const title = `Papers per ${trend.unit}: ${names}`;
    const png = renderTrendChart({ title, periods: trend.periods, series: trend.series.map(({ label, counts }) => ({ label, counts })) });
    const first = periodName(trend.periods[0]!);
    const last = periodName(trend.periods.at(-1)!);
    return {
      embeds: [
        {
          title: escapeMarkdown(truncate(title, 250)),
          description: trend.series.map((_, i) => escapeMarkdown(describeChange(trend, i, periodName))).join("\n"),
          image: "attachment://trend.png",
          footer: `${first} – ${last}, by listing (else publication) date · ${trend.series.map((series) => `${series.label}: ${series.total.toLocaleString("en")}`).join(" · ")} papers`,
        },
      ],
      files: [{ name: "trend.png", data: png, description: `Chart: ${title}` }],
    };
  },
});
