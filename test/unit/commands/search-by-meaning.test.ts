import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commandRunner } from "../../../src/app.ts";
import { EmbeddingsClient } from "../../../src/embeddings/client.ts";
import { SemanticSearch } from "../../../src/embeddings/semantic-search.ts";
import { SearchEngine } from "../../../src/search/engine.ts";
import { startEmbeddingsServer, type EmbeddingsServer } from "../../helpers/embeddings-server.ts";
import { paper } from "../../helpers/papers.ts";

// The first paper shares no word with the question below, only its meaning; the second shares a word.
const papers = [
  paper({ id: "2408.00001", title: "Input gradients revisited", abstract: "Saliency maps, studied closely." }),
  paper({ id: "2408.00002", title: "A linear classifier for tabular data", abstract: "Trees against lines." }),
  ...Array.from({ length: 12 }, (_, i) => paper({ title: `Benchmarks of optimizers, part ${i}`, abstract: "Many optimizers compared on vision tasks." })),
];

let server: EmbeddingsServer;
beforeEach(async () => (server = await startEmbeddingsServer()));
afterEach(() => server.close());

async function runner() {
  const logger = pino({ level: "silent" });
  const semantic = new SemanticSearch({ client: new EmbeddingsClient({ url: server.url, model: "concepts-v1", timeoutMs: 5000, batchSize: 8 }), logger });
  await semantic.embedPapers(papers);
  return commandRunner({ papers, problems: [], files: ["test"], duplicatesMerged: 0, loadMs: 1 }, { engine: new SearchEngine(papers), logger, semantic });
}

const titles = (reply: { embeds?: Array<{ description?: string }> }) => reply.embeds?.[0]?.description ?? "";

describe("/search with an embeddings endpoint", () => {
  const question = "which approach explains what a classifier looks at, with attribution heatmaps?";

  it("ranks a question by words and meaning: a paper that shares its meaning but none of its words is found", async () => {
    const bot = await runner();
    const reply = await bot.execute("search", { query: question });
    expect(titles(reply)).toContain("Input gradients revisited");
    expect(reply.embeds?.[0]?.footer).toContain("found by words and meaning");
    // Keywords stay keywords: all words first, by words alone.
    const keywords = await bot.execute("search", { query: "optimizers compared" });
    expect(keywords.embeds?.[0]?.footer).not.toContain("meaning");
    expect((await bot.execute("about", {})).embeds?.[0]?.fields?.find((field) => field.name === "Search")?.value).toContain("questions by words and meaning (concepts-v1, 14 of 14 papers embedded)");
  });

  it("answers by words alone when the endpoint fails, and /about says so", async () => {
    const bot = await runner();
    server.failWith = 500;
    const reply = await bot.execute("search", { query: question });
    expect(reply.ephemeral).toBeFalsy();
    expect(reply.embeds?.[0]?.footer).not.toContain("meaning");
    expect(titles(reply)).toContain("A linear classifier");
    expect(titles(reply)).not.toContain("Input gradients revisited");
    expect((await bot.execute("about", {})).embeds?.[0]?.fields?.find((field) => field.name === "Search")?.value).toMatch(/by words only for now: the embeddings endpoint is failing \(.*HTTP 500/);
  });
});
