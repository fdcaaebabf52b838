/** Run as a child process by store.test.ts: takes the store's lock, says "HELD", and keeps it until killed. */
import { withFileLock } from "../../../src/ingest/lock.ts";

await withFileLock(process.argv[2]!, async () => {
  process.stdout.write("HELD\n");
  await new Promise(() => setInterval(() => undefined, 60_000));
});
