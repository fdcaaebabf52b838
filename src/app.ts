import type { Logger } from "pino";
import { loadCommands } from "./commands/registry.ts";
import { CommandRunner } from "./commands/runner.ts";
import type { CommandContext } from "./commands/types.ts";
import type { Corpus } from "./corpus/load.ts";
import { formatProblem } from "./corpus/problems.ts";
import { SearchEngine } from "./search/engine.ts";
import { openSearch } from "./search/open-search.ts";
import { VERSION } from "./version.ts";

/**
 * Everything the adapters share: the corpus loaded and indexed (from a snapshot in `snapshotDir` when one
 * matches the corpus), the commands, and the runner over them.
 */
export async function createApp(options: { corpusPath: string; logger: Logger; snapshotDir?: string; random?: () => number }): Promise<CommandRunner> {
  const opened = await openSearch(options.corpusPath, { snapshotDir: options.snapshotDir, logger: options.logger });
  for (const problem of opened.corpus.problems) options.logger.warn({ file: problem.file, line: problem.line }, `skipped: ${formatProblem(problem)}`);
  return buildApp(opened.corpus, { ...options, engine: opened.engine });
}

/** The app over an already loaded corpus (indexed here unless an engine is given). */
export async function buildApp(corpus: Corpus, options: { logger: Logger; random?: () => number; engine?: SearchEngine }): Promise<CommandRunner> {
  const engine = options.engine ?? new SearchEngine(corpus.papers);
  options.logger.info(
    {
      papers: corpus.papers.length,
      files: corpus.files.length,
      skipped: corpus.problems.length,
      duplicatesMerged: corpus.duplicatesMerged,
      loadMs: Math.round(corpus.loadMs),
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
