/** Run as a child process by store.test.ts: merges papers numbered from..to (exclusive) into the store, one call each. */
import { makePaper } from "../../../src/corpus/make-paper.ts";
import { mergeIntoStore } from "../../../src/ingest/store.ts";

const [storePath, from, to] = process.argv.slice(2);
for (let i = Number(from); i < Number(to); i++) {
  await mergeIntoStore(storePath!, [makePaper({ id: `2410.${String(10000 + i)}`, title: `Concurrent Paper ${i}`, source: "merge-writer" })]);
}
