import { createApp } from "./app.ts";
import { consoleDigestTransport } from "./console/digest-transport.ts";
import { runConsole } from "./console/console.ts";
import { prepareDigests } from "./digest/setup.ts";
import { DigestStore } from "./digest/store.ts";
import { runBot } from "./discord/bot.ts";
import { scheduleIngest, type IngestStatus } from "./ingest/schedule.ts";
import { snapshotDir } from "./config.ts";
import { exitWith, startup } from "./startup.ts";

/** `npm start`: on Discord when DISCORD_TOKEN is set, otherwise the offline console. */
const { config, logger } = startup();
try {
  const store = DigestStore.open(config.DATABASE_PATH);
  const runner = await createApp({ corpusPath: config.CORPUS_PATH, logger, snapshotDir: snapshotDir(config) });
  const digests = prepareDigests(config, store, runner.ctx.engine, logger);
  const ingestStatus: IngestStatus = {};
  const ingestSchedule = scheduleIngest({ config, logger, engine: runner.ctx.engine, status: ingestStatus });
  if (ingestSchedule) runner.ctx.ingest = ingestStatus;
  if (config.DISCORD_TOKEN) {
    // A stray rejection is logged, never fatal: one failed reply must not take the bot down.
    process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
    await runBot({ config, logger, runner, digests, onStop: () => ingestSchedule?.stop() });
  } else {
    const digest = (runner.ctx.digest = digests.create(consoleDigestTransport(process.stdout)));
    digest.start();
    await runConsole(runner, { input: process.stdin, output: process.stdout, interactive: Boolean(process.stdin.isTTY) });
    ingestSchedule?.stop();
    await digest.stop();
    digests.store.close();
  }
} catch (error) {
  exitWith(error);
}
