import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { commandRunner } from "../../../src/app.ts";
import type { ScheduledIngest } from "../../../src/ingest/scheduled-ingest.ts";
import { SearchEngine } from "../../../src/search/engine.ts";
import { paper } from "../../helpers/papers.ts";
import { nodeTsx, run } from "../../helpers/run-process.ts";

/** Finding 12: nothing of the machine (paths) or of its secrets reaches people or the terminal. */
describe("what /about and start-up errors disclose", () => {
  it("/about shows an ingest's outcome with file names, not the machine's paths", async () => {
    const papers = [paper({ title: "A paper" })];
    const ingest = { status: { last: "file /srv/paperbot/private/batch.jsonl failed: ENOENT, open '/srv/paperbot/private/batch.jsonl'" } } as unknown as ScheduledIngest;
    const runner = await commandRunner({ papers, problems: [], files: ["/srv/paperbot/data/a.jsonl"], duplicatesMerged: 0, loadMs: 1 }, { engine: new SearchEngine(papers), logger: pino({ level: "silent" }), ingest });
    const about = JSON.stringify(await runner.execute("about", {}));
    expect(about).toContain("file batch.jsonl failed");
    expect(about).not.toContain("/srv/paperbot");
  });

  it("a start-up error that quotes a secret prints it redacted", async () => {
    const secret = "sk-very-secret-key-123456";
    const result = await run(...nodeTsx("src/main.ts"), { env: { LLM_API_KEY: secret, CORPUS_PATH: `/nowhere/${secret}` } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("paperbot: CORPUS_PATH /nowhere/[REDACTED] does not exist");
    expect(result.stderr).not.toContain(secret);
  });
});
