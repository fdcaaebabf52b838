import { createApp } from "./app.ts";
import { runConsole } from "./console/console.ts";
import { consoleTransport } from "./console/transport.ts";
import { runBot } from "./discord/bot.ts";
import { exitWith, startup } from "./startup.ts";

/** `npm start`: on Discord when DISCORD_TOKEN is set, otherwise the offline console. */
const { config, logger } = startup();
try {
  if (config.DISCORD_TOKEN) {
    // A stray rejection is logged, never fatal: one failed reply must not take the bot down.
    process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
    await runBot({ config, logger, token: config.DISCORD_TOKEN });
  } else {
    const app = await createApp({ config, logger, transport: consoleTransport(process.stdout) });
    app.start();
    await runConsole(app.runner, { input: process.stdin, output: process.stdout, interactive: Boolean(process.stdin.isTTY) });
    await app.stop();
  }
} catch (error) {
  exitWith(error);
}
