import { hostname } from "node:os";
import { basename } from "node:path";
import type { Cluster } from "../src/cluster/ownership.ts";
import { defineCommand } from "../src/command-kit/define.ts";
import type { CommandContext } from "../src/command-kit/types.ts";
import { escapeMarkdown, truncate } from "../src/render/markdown.ts";

function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.floor(ms / 1000)} s`;
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** How questions are ranked right now: by words, or by words and meaning (and how far embedding has got). */
function searchMode(ctx: CommandContext): string {
  if (!ctx.semantic) return "by words (BM25F); no embeddings endpoint configured";
  const { model, embedded, failing } = ctx.semantic.status();
  const coverage = `${embedded} of ${ctx.engine.size} papers embedded`;
  if (failing) return `by words only for now: the embeddings endpoint is failing (${escapeMarkdown(truncate(failing, 200))}); ${coverage}`;
  return `questions by words and meaning (${escapeMarkdown(model)}, ${coverage}); keywords by words`;
}

/** Everyone can run /about: file paths of this machine (in an ingest report or error) are cut to their names. */
function withoutPaths(text: string): string {
  // A path starts after a space, quote or bracket (so a URL's "//host/path" is left alone).
  return text.replace(/(^|[\s'"(=])(?:[A-Za-z]:)?[\\/](?:[^\s'"\\/]+[\\/])+([^\s'"\\/]+)/g, "$1$2");
}

function delayLine(delay: { p50: number; p99: number; max: number }): string {
  return `p50 ${delay.p50} ms · p99 ${delay.p99} ms · max ${delay.max} ms`;
}

/** "shards 0-1 of 4 · process 12345 on host-a": which part of a sharded bot answered. */
function shardsLine(cluster: Cluster): string {
  return `${cluster.shardIds.join(", ")} of ${cluster.shardCount} · process ${process.pid} on ${escapeMarkdown(truncate(hostname(), 60))}`;
}

export default defineCommand({
  name: "about",
  description: "Corpus size, load time and version",
  options: {},
  examples: ["/about"],
  execute: async (ctx) => ({
    embeds: [
      {
        title: `paperbot ${ctx.version}`,
        description: "A paper bot for research communities: search, open and discover machine-learning papers.",
        fields: [
          { name: "Papers", value: String(ctx.engine.size), inline: true },
          { name: "Corpus load", value: `${Math.round(ctx.corpus.loadMs)} ms`, inline: true },
          { name: "Up for", value: duration(Date.now() - ctx.startedAt.getTime()), inline: true },
          { name: "Corpus files", value: escapeMarkdown(ctx.corpus.files.map((file) => basename(file)).join(", ")) },
          { name: "Search", value: searchMode(ctx) },
          ...(ctx.asker ? [{ name: "Answers (/ask)", value: escapeMarkdown(ctx.asker.mode) }] : []),
          ...(ctx.responsiveness ? [{ name: "Event-loop delay", value: delayLine(ctx.responsiveness.delay()), inline: true }] : []),
          ...(ctx.digest?.troubled().size ? [{ name: "Digests", value: `${ctx.digest.troubled().size} could not run and will be tried again (see /digest list)` }] : []),
          ...(ctx.cluster && ctx.cluster.shardCount > 1 ? [{ name: "Shards", value: shardsLine(ctx.cluster), inline: true }] : []),
          ...(ctx.ingestLeader ? [{ name: "Ingest leader", value: escapeMarkdown((await ctx.ingestLeader().catch(() => undefined)) ?? "none right now (one takes over within seconds)"), inline: true }] : []),
          { name: "Load report", value: `${ctx.corpus.problems} record(s) skipped, ${ctx.corpus.duplicatesMerged} duplicate(s) merged`, inline: true },
          ...(ctx.ingest ? [{ name: "Last ingest", value: escapeMarkdown(withoutPaths(ctx.ingest.last ?? "none yet")) }] : []),
        ],
      },
    ],
  }),
});
