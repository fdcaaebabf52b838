import { createApp } from "./app.ts";
import { runConsole } from "./console/console.ts";
import { exitWith, startup } from "./startup.ts";

/** `npm start`: on Discord when DISCORD_TOKEN is set, otherwise the offline console. */
const { config, logger } = startup();
try {
  const runner = await createApp({ corpusPath: config.CORPUS_PATH, logger });
  if (config.DISCORD_TOKEN) {
    exitWith(new Error("DISCORD_TOKEN is set, but the Discord adapter is not part of this build yet: unset it to use the offline console."));
  }
  const interactive = Boolean(process.stdin.isTTY);
  if (interactive) {
    process.stderr.write(`paperbot ${runner.ctx.version}, offline console: ${runner.ctx.engine.size} papers. Type /help, Tab to complete, /quit to leave.\n`);
  }
  await runConsole(runner, { input: process.stdin, output: process.stdout, interactive });
} catch (error) {
  exitWith(error);
}
