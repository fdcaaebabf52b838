import { copyFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { titleId } from "../../../src/corpus/paper.ts";
import { ingest } from "../../../src/ingest/ingest.ts";
import { readStore } from "../../../src/ingest/store.ts";
import { corpusFixture, fixturePath, silent, tempDir } from "./helpers.ts";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const importFile = (path: string) => ingest({ kind: "file", path }, { storePath: join(dir, "ingested.jsonl"), logger: silent });

describe("file source", () => {
  it("our JSON Lines records: good lines kept with their ids, bad lines rejected by line", async () => {
    const file = corpusFixture("records.jsonl");
    const result = await importFile(file);
    expect(result.counts).toEqual({ added: 4, updated: 0, unchanged: 0, rejected: 4 });
    expect(result.papers.map((paper) => paper.id)).toEqual(["eccv2022-6969f0deec", "iclr2018-r1gs9JgRZ", titleId("A Title-Only Record"), "aaai2024-7f3a9c0d1e"]);
    expect(result.rejected.map((rejection) => rejection.source)).toEqual([`${file}:4`, `${file}:5`, `${file}:6`, `${file}:10`]);
  });

  it("our records as a JSON array", async () => {
    const result = await importFile(corpusFixture("records-array.json"));
    expect(result.counts.added).toBeGreaterThan(0);
    expect(result.papers[0]).toMatchObject({ id: "iclr2019-HkgEQnRqYQ", venue: "ICLR 2019", links: { page: "https://openreview.net/forum?id=HkgEQnRqYQ" } });
  });

  it("a Hugging Face API response saved to disk", async () => {
    const result = await importFile(fixturePath("hf/2024-08-05.json"));
    expect(result.counts).toEqual({ added: 2, updated: 0, unchanged: 0, rejected: 2 });
    expect(result.papers.map((paper) => paper.id)).toEqual(["2408.01234", "2408.05678"]);
  });

  it("a saved Daily Papers page", async () => {
    const result = await importFile(corpusFixture("mixed/01-daily-page.txt"));
    expect(result.errors).toEqual([]);
    expect(result.papers.map((paper) => paper.title)).toContain("Graph Neural Networks Meet Tabular Data");
    expect(result.papers.every((paper) => paper.listed === "--08-05")).toBe(true);
  });

  it("gzip, whatever the file is called", async () => {
    const gz = join(dir, "records.jsonl.gz");
    await writeFile(gz, gzipSync(await readFile(corpusFixture("records.jsonl"))));
    const plain = join(dir, "copy.json");
    await copyFile(gz, plain);
    expect((await importFile(gz)).counts.added).toBe(4);
    expect((await importFile(plain)).counts).toMatchObject({ added: 0, unchanged: 4 });
  });

  it("a missing file, or one that is not a corpus at all, is an error and leaves the store alone", async () => {
    const missing = await importFile(join(dir, "nope.jsonl"));
    expect(missing.errors[0]!.message).toMatch(/cannot read: ENOENT/);
    const broken = join(dir, "broken.json");
    await writeFile(broken, "[ this is not json");
    const result = await importFile(broken);
    expect(result.errors).toEqual([{ source: broken, message: expect.stringMatching(/not a readable JSON array/) }]);
    expect(result.written).toBe(false);
    expect((await readStore(join(dir, "ingested.jsonl"))).papers).toEqual([]);
  });
});
