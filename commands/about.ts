import { basename } from "node:path";
import { defineCommand } from "../src/command-kit/define.ts";
import { escapeMarkdown } from "../src/render/markdown.ts";

function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.floor(ms / 1000)} s`;
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export default defineCommand({
  name: "about",
  description: "Corpus size, load time and version",
  options: {},
  examples: ["/about"],
  execute: (ctx) => ({
    embeds: [
      {
        title: `paperbot ${ctx.version}`,
        description: "A paper bot for research communities: search, open and discover machine-learning papers.",
        fields: [
          { name: "Papers", value: String(ctx.engine.size), inline: true },
          { name: "Corpus load", value: `${Math.round(ctx.corpus.loadMs)} ms`, inline: true },
          { name: "Up for", value: duration(Date.now() - ctx.startedAt.getTime()), inline: true },
          { name: "Corpus files", value: escapeMarkdown(ctx.corpus.files.map((file) => basename(file)).join(", ")) },
          { name: "Load report", value: `${ctx.corpus.problems} record(s) skipped, ${ctx.corpus.duplicatesMerged} duplicate(s) merged`, inline: true },
          ...(ctx.ingest ? [{ name: "Last ingest", value: escapeMarkdown(ctx.ingest.last ?? "none yet") }] : []),
        ],
      },
    ],
  }),
});
