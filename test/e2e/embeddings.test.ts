import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddingsServer, type EmbeddingsServer } from "../helpers/embeddings-server.ts";
import { nodeTsx, run } from "../helpers/run-process.ts";

/** Hybrid search through the real processes: `paperbot index` embeds the seed corpus, the console then answers by words and meaning. */
let server: EmbeddingsServer;
let env: Record<string, string>;
beforeAll(async () => {
  server = await startEmbeddingsServer();
  env = { EMBEDDINGS_API_URL: server.url, EMBEDDINGS_MODEL: "concepts-v1", EMBEDDINGS_BATCH_SIZE: "16", SNAPSHOT_DIR: await mkdtemp(join(tmpdir(), "paperbot-hybrid-")) };
});
afterAll(() => server.close());

describe("hybrid search with an embeddings endpoint", () => {
  it("paperbot index embeds every paper once, with a summary line; the console then ranks questions by meaning too", async () => {
    const indexed = await run(process.execPath, ["bin/paperbot.js", "index"], { env });
    expect(indexed.code).toBe(0);
    expect(indexed.stdout).toContain("58 papers embedded");
    expect(server.requests.reduce((sum, request) => sum + request.input.length, 0)).toBe(58);
    const again = await run(process.execPath, ["bin/paperbot.js", "index"], { env });
    expect(again.stdout).toMatch(/^0 papers embedded in \d+ s; 58 have vectors \(concepts-v1\)$/m);

    const question = "is there work on grokking: why does generalization come long after memorization?";
    const console = await run(...nodeTsx("src/main.ts"), { env, input: `/search ${question}\n/about\n` });
    expect(console.code).toBe(0);
    expect(console.stdout).toContain("found by words and meaning");
    expect(console.stdout).toContain("questions by words and meaning (concepts-v1, 58 of 58 papers embedded)");

    server.failWith = 500;
    const failing = await run(...nodeTsx("src/main.ts"), { env: { ...env, LOG_LEVEL: "warn" }, input: `/search ${question}\n/about\n` });
    expect(failing.code).toBe(0);
    expect(failing.stdout).toContain("┃ Search: is there work on grokking");
    expect(failing.stdout).not.toContain("found by words and meaning");
    expect(failing.stdout).toContain("by words only for now: the embeddings endpoint is failing");
    expect(failing.stderr.match(/embeddings endpoint failing/g)).toHaveLength(1);
  });
});
