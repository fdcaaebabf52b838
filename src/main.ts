import { createApp } from "./app.ts";
import { runConsole } from "./console/console.ts";
import { runBot } from "./discord/bot.ts";
import { exitWith, startup } from "./startup.ts";

/** `npm start`: on Discord when DISCORD_TOKEN is set, otherwise the offline console. */
const { config, logger } = startup();
try {
  const runner = await createApp({ corpusPath: config.CORPUS_PATH, logger });
  if (config.DISCORD_TOKEN) {
    // A stray rejection is logged, never fatal: one failed reply must not take the bot down.
    process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
    await runBot({ config, logger, runner });
  } else {
    await runConsole(runner, { input: process.stdin, output: process.stdout, interactive: Boolean(process.stdin.isTTY) });
  }
} catch (error) {
  exitWith(error);
}
