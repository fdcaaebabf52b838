import { mkdtemp, readdir, stat, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EmbeddingsClient, type EmbeddingsConfig } from "../../../src/embeddings/client.ts";
import { SemanticSearch } from "../../../src/embeddings/semantic-search.ts";
import { quantize, VectorIndex } from "../../../src/embeddings/vector-index.ts";
import { conceptVector, startEmbeddingsServer, type EmbeddingsServer } from "../../helpers/embeddings-server.ts";
import { paper } from "../../helpers/papers.ts";

let server: EmbeddingsServer;
let dir: string;
beforeEach(async () => {
  server = await startEmbeddingsServer();
  dir = await mkdtemp(join(tmpdir(), "paperbot-vectors-"));
});
afterEach(() => server.close());

const config = (extra: Partial<EmbeddingsConfig> = {}): EmbeddingsConfig => ({ url: server.url, model: "concepts-v1", timeoutMs: 5000, batchSize: 2, ...extra });

/** Captures warn and info lines. */
function recordingLogger() {
  const lines: string[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line).msg as string) });
  return { logger, lines };
}

const papers = [
  paper({ id: "p1", title: "Do input gradients highlight discriminative features?", abstract: "We study saliency maps of image classifiers." }),
  paper({ id: "p2", title: "Grokking as a phase transition", abstract: "Delayed generalization in small networks." }),
  paper({ id: "p3", title: "Dexterous manipulation", abstract: "A gripper learns to grasp." }),
];

describe("EmbeddingsClient", () => {
  it("asks the OpenAI-compatible endpoint, with the model, the key and the prefixes, and keeps the answer's order", async () => {
    const client = new EmbeddingsClient(config({ apiKey: "sk-test", queryPrefix: "query: ", documentPrefix: "passage: " }));
    const vectors = await client.embed(["robot grasping", "grokking"], "document");
    expect(server.requests[0]).toEqual({ model: "concepts-v1", input: ["passage: robot grasping", "passage: grokking"], authorization: "Bearer sk-test" });
    expect(vectors[0]).toEqual(Float32Array.from(conceptVector("passage: robot grasping")));
    expect(vectors[1]).toEqual(Float32Array.from(conceptVector("passage: grokking")));
    await client.embed(["why?"], "query");
    expect(server.requests[1]!.input).toEqual(["query: why?"]);
  });

  it("fails clearly on an error status or an answer that is not embeddings, and does not retry a question", async () => {
    server.failWith = 500;
    const client = new EmbeddingsClient(config(), { maxAttempts: 3, sleep: async () => undefined });
    await expect(client.embed(["x"], "query")).rejects.toThrow(/HTTP 500/);
    expect(server.requests).toHaveLength(1);
    await expect(client.embed(["x"], "document")).rejects.toThrow(/HTTP 500/);
    expect(server.requests).toHaveLength(4);
    await expect(new EmbeddingsClient(config({ url: `${server.url}/nothing-here` })).embed(["x"], "query")).rejects.toThrow(/HTTP 404/);
  });
});

describe("VectorIndex", () => {
  it("finds the nearest vectors as an exhaustive search would (sign-bit pass, then exact rescoring)", () => {
    let state = 3;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const dims = 48;
    const vectors = Array.from({ length: 3000 }, () => Float32Array.from({ length: dims }, random));
    const index = new VectorIndex(dims);
    vectors.forEach((vector, i) => {
      const { values, scale } = quantize(vector);
      index.set(`v${i}`, values, scale);
    });
    let found = 0;
    for (let q = 0; q < 20; q++) {
      const query = Float32Array.from({ length: dims }, random);
      const cosine = (v: Float32Array) => v.reduce((sum, x, i) => sum + x * query[i]!, 0) / Math.hypot(...v);
      const exact = vectors.map((v, i) => ({ key: `v${i}`, score: cosine(v) })).sort((a, b) => b.score - a.score).slice(0, 10).map((hit) => hit.key);
      const got = index.search(query, 10).map((hit) => hit.key);
      found += got.filter((key) => exact.includes(key)).length;
    }
    expect(found / 200).toBeGreaterThanOrEqual(0.9);
  });
});

describe("SemanticSearch", () => {
  it("embeds papers in batches, saves them as it goes, and a restart embeds only what is missing or changed", async () => {
    const { logger } = recordingLogger();
    const first = new SemanticSearch({ client: new EmbeddingsClient(config()), logger, dir });
    const progress: number[] = [];
    expect(await first.embedPapers(papers, ({ done }) => progress.push(done))).toBe(3);
    expect(progress).toEqual([2, 3]);
    expect(server.requests.map((request) => request.input.length)).toEqual([2, 1]);
    first.close();

    const again = new SemanticSearch({ client: new EmbeddingsClient(config()), logger, dir });
    expect(again.status().embedded).toBe(3);
    const changed = [papers[0]!, { ...papers[1]!, abstract: "A new abstract." }, papers[2]!];
    expect(again.missing(changed).map((item) => item.id)).toEqual(["p2"]);
    expect(await again.embedPapers(changed)).toBe(1);
    again.close();
    // A crash mid-append leaves a torn record: it is dropped, the rest is kept.
    const [file] = (await readdir(dir)).filter((name) => name.startsWith("vectors-"));
    await truncate(join(dir, file!), (await stat(join(dir, file!))).size - 3);
    const recovered = new SemanticSearch({ client: new EmbeddingsClient(config()), logger, dir });
    expect(recovered.missing(changed).map((item) => item.id)).toEqual(["p2"]);
    recovered.close();
  });

  it("finds the paper closest in meaning; a failing endpoint gives nothing, logged once, and then recovers", async () => {
    const { logger, lines } = recordingLogger();
    const semantic = new SemanticSearch({ client: new EmbeddingsClient(config()), logger });
    await semantic.embedPapers(papers);
    expect((await semantic.similar("which method explains an image classifier with heatmaps?", 3))?.[0]?.id).toBe("p1");
    server.failWith = 503;
    expect(await semantic.similar("heatmaps", 3)).toBeUndefined();
    expect(await semantic.similar("heatmaps again", 3)).toBeUndefined();
    expect(semantic.status().failing).toMatch(/HTTP 503/);
    server.failWith = undefined;
    expect((await semantic.similar("attribution heatmaps", 3))?.[0]?.id).toBe("p1");
    expect(semantic.status().failing).toBeUndefined();
    expect(lines.filter((line) => line.startsWith("embeddings endpoint failing"))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith("embeddings endpoint answering again"))).toHaveLength(1);
  });
});
