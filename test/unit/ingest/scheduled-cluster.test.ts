import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config.ts";
import type { Paper } from "../../../src/corpus/paper.ts";
import { ScheduledIngest } from "../../../src/ingest/scheduled-ingest.ts";
import { SearchEngine } from "../../../src/search/engine.ts";

describe("the scheduled ingest in a sharded bot", () => {
  it("runs only in the leader, and shares papers a failed publication left behind at the next run (review finding)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "paperbot-ingest-"));
    const source = join(dir, "new.jsonl");
    writeFileSync(source, `${JSON.stringify({ id: "2408.11111", title: "Shared once published" })}\n`);
    const config = parseConfig({ INGEST_CRON: "0 0 1 1 *", INGEST_SOURCES: `file ${source}`, INGEST_STORE: join(dir, "ingested.jsonl"), CORPUS_PATH: dir });
    let leader = false;
    const published: string[][] = [];
    let failNext = true;
    const cluster = {
      isLeader: () => leader,
      publish: async (papers: readonly Paper[]) => {
        if (failNext) {
          failNext = false;
          throw new Error("connection reset");
        }
        published.push(papers.map((paper) => paper.id));
      },
    };
    const engine = new SearchEngine([]);
    const ingest = new ScheduledIngest({ config: { ...config, INGEST_CRON: config.INGEST_CRON! }, logger: pino({ level: "silent" }), engine, cluster });
    await ingest.runNow();
    expect(engine.size).toBe(0); // not the leader: nothing ingested
    leader = true;
    await ingest.runNow(); // ingested, but the publication fails
    expect(engine.size).toBe(1);
    expect(published).toEqual([]);
    await ingest.runNow(); // the file has nothing new now; what was not shared goes first
    expect(published).toEqual([["2408.11111"]]);
    await ingest.runNow();
    expect(published).toEqual([["2408.11111"]]);
  });
});
