/**
 * Run as a child process by crash.test.ts: merges `count` generated papers into the store at `storePath`
 * and stops at `where` ("mid-write": after the first MiB of the temporary file; "before-rename": the file
 * complete and flushed, not yet renamed), printing "PAUSED <temp> <bytes>" so the test can SIGKILL it there.
 */
import { makePaper } from "../../../src/corpus/make-paper.ts";
import { mergeIntoStore } from "../../../src/ingest/store.ts";

const [storePath, where, count] = process.argv.slice(2);

const pause = (temp: string, bytes: number) => {
  process.stdout.write(`PAUSED ${temp} ${bytes}\n`);
  setInterval(() => undefined, 60_000);
  return new Promise<void>(() => undefined);
};

const papers = Array.from({ length: Number(count) }, (_, i) =>
  makePaper({
    id: `2409.${String(10000 + i)}`,
    title: `Generated Paper ${i}`,
    abstract: `A long enough abstract for paper ${i}. `.repeat(12),
    authors: ["Ada Lovelace", "Alan Turing"],
    source: "crash-writer",
  }),
);

await mergeIntoStore(storePath!, papers, {
  writeHooks: {
    afterChunk: (bytes, temp) => (where === "mid-write" ? pause(temp, bytes) : undefined),
    beforeRename: (temp) => (where === "before-rename" ? pause(temp, -1) : undefined),
  },
});
process.stdout.write("DONE\n");
