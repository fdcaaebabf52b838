import type { Logger } from "pino";
import { loadCommands } from "./commands/registry.ts";
import { CommandRunner } from "./commands/runner.ts";
import type { CommandContext } from "./commands/types.ts";
import { loadCorpus, type Corpus } from "./corpus/load.ts";
import { formatProblem } from "./corpus/problems.ts";
import { SearchEngine } from "./search/engine.ts";
import { VERSION } from "./version.ts";


/** Everything the adapters share: the corpus loaded and indexed, the commands, and the runner over them. */
export async function createApp(options: { corpusPath: string; logger: Logger; random?: () => number }): Promise<CommandRunner> {
  const corpus = await loadCorpus(options.corpusPath);
  for (const problem of corpus.problems) options.logger.warn({ file: problem.file, line: problem.line }, `skipped: ${formatProblem(problem)}`);
  return buildApp(corpus, options);
}

/** The app over an already loaded corpus. */
export async function buildApp(corpus: Corpus, options: { logger: Logger; random?: () => number }): Promise<CommandRunner> {
  const indexStarted = performance.now();
  const engine = new SearchEngine(corpus.papers);
  options.logger.info(
    {
      papers: corpus.papers.length,
      files: corpus.files.length,
      skipped: corpus.problems.length,
      duplicatesMerged: corpus.duplicatesMerged,
      loadMs: Math.round(corpus.loadMs),
      indexMs: Math.round(performance.now() - indexStarted),
    },
    "corpus loaded",
  );
  const commands = await loadCommands();
  const ctx: CommandContext = {
    engine,
    corpus: { size: corpus.papers.length, files: corpus.files, problems: corpus.problems.length, duplicatesMerged: corpus.duplicatesMerged, loadMs: corpus.loadMs },
    version: VERSION,
    startedAt: new Date(),
    random: options.random ?? Math.random,
    logger: options.logger,
    commands: () => commands,
  };
  return new CommandRunner(commands, ctx);
}
