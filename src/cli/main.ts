import { createInterface } from "node:readline";
import { queryOption, searchAnswer, searchPage } from "../../commands/search.ts";
import { questionSchema } from "../../commands/ask.ts";
import { answerReply } from "../render/answer.ts";
import type { Paper } from "../corpus/paper.ts";
import { createApp, semanticSearch } from "../app.ts";
import type { CommandRunner } from "../command-kit/runner.ts";
import { snapshotDir } from "../config.ts";
import { runConsole } from "../console/console.ts";
import { consoleTransport } from "../console/transport.ts";
import { renderText } from "../console/render-text.ts";
import { ingestOptions } from "../ingest/configure.ts";
import { formatIngestReport, ingest, INGEST_USAGE, parseIngestArgs } from "../ingest/index.ts";
import { fitReply } from "../render/limits.ts";
import { paperUrl } from "../render/papers.ts";
import { openSearch } from "../search/open-search.ts";
import { findPaper, randomPaper } from "../search/results/lookup.ts";
import { exitWith, startup } from "../startup.ts";
import { parseCliArgs, USAGE, UsageError } from "./args.ts";
import { progressLine } from "./progress.ts";

async function searchJson(runner: CommandRunner, query: string, limit: number, page: number): Promise<object> {
  const valid = queryOption.schema.safeParse(query);
  if (!valid.success) return { query, error: valid.error.issues[0]?.message };
  const result = await searchPage(runner.ctx, valid.data, page, limit);
  return {
    query: valid.data,
    total: result.total,
    fullMatches: result.fullMatches,
    byMeaning: result.byMeaning,
    page: result.page,
    pageCount: result.pageCount,
    results: result.hits.map((hit) => ({
      id: hit.paper.id,
      title: hit.paper.title,
      score: hit.score,
      matchedWords: hit.matchedWords,
      authors: hit.paper.authors,
      published: hit.paper.published,
      listed: hit.paper.listed,
      url: paperUrl(hit.paper),
      snippet: hit.snippet.map((part) => part.text).join(""),
    })),
  };
}

/** `paperbot ask`: the answer as Discord shows it, or as JSON; exit 1 when nothing in the corpus answers. */
async function askCommand(runner: CommandRunner, question: string, json: boolean): Promise<number> {
  const valid = questionSchema.safeParse(question);
  if (!valid.success) throw new UsageError(valid.error.issues[0]?.message ?? "ask needs a QUESTION");
  const result = await runner.ctx.asker!.ask(valid.data, { userId: "cli" });
  if (json) {
    const source = (paper: Paper, n: number) => ({ n, id: paper.id, title: paper.title, url: paperUrl(paper) ?? null });
    const citations = result.cited.map((n) => source(result.sources[n - 1]!, n));
    const sources = result.sources.map((paper, i) => ({ ...source(paper, i + 1), date: paper.listed ?? paper.published ?? null }));
    console.log(JSON.stringify({ question: result.question, mode: result.mode, model: result.model, answer: result.text, note: result.note, citations, sources }));
  } else console.log(renderText(fitReply(answerReply(result, () => undefined))));
  return result.mode === "nothing" ? 1 : 0;
}

async function* stdinLines(): AsyncGenerator<string> {
  // Blank lines separate nothing and are skipped; any other line, even whitespace, gets its answer line.
  for await (const line of createInterface({ input: process.stdin, terminal: false })) if (line !== "") yield line;
}

/** `paperbot ingest …`: its own arguments; exit 1 when a source failed, 2 on bad usage. */
async function ingestCommand(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(INGEST_USAGE);
    return 0;
  }
  const source = parseIngestArgs(args);
  if (typeof source === "string") throw new UsageError(`${source}\n\n${INGEST_USAGE}`);
  const { config, logger } = startup({ logLevel: "warn" });
  const result = await ingest(source, ingestOptions(config, logger));
  console.log(formatIngestReport(result));
  return result.errors.length ? 1 : 0;
}

/** `paperbot index`: indexes the corpus afresh and writes the snapshot the next start loads. */
async function indexCommand(): Promise<number> {
  const { config, logger } = startup({ logLevel: "warn" });
  const dir = snapshotDir(config);
  if (!dir) throw new UsageError("SNAPSHOT_DIR is off: there is no snapshot to write");
  const opened = await openSearch(config.CORPUS_PATH, { snapshotDir: dir, rebuild: true, logger });
  await opened.snapshotWritten;
  console.log(`${opened.engine.size} papers indexed; snapshot ${opened.snapshotPath}`);
  const semantic = semanticSearch(config, logger);
  if (!semantic) return 0;
  // Embedding a large corpus takes a while: progress on a terminal, a summary line either way.
  const progress = progressLine("Embedding papers");
  const started = Date.now();
  try {
    const embedded = await semantic.embedPapers(opened.engine.all(), ({ done, total }) => progress.update(done, total));
    progress.end();
    console.log(`${embedded} papers embedded in ${Math.round((Date.now() - started) / 1000)} s; ${semantic.status().embedded} have vectors (${semantic.status().model})`);
    return 0;
  } catch (error) {
    progress.end();
    console.error(`paperbot: embedding stopped: ${(error as Error).message}. What was embedded is kept; run paperbot index again to go on.`);
    return 1;
  } finally {
    semantic.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const request = parseCliArgs(argv);
  if (request.command === "help") {
    console.log(USAGE);
    return request.ok ? 0 : 2;
  }
  if (request.command === "ingest") return ingestCommand(request.args);
  if (request.command === "index") return indexCommand();

  const { config, logger } = startup({ logLevel: "warn" });
  if (request.command === "console") {
    const app = await createApp({ config, logger, transport: consoleTransport(process.stdout) });
    app.start();
    await runConsole(app.runner, { input: process.stdin, output: process.stdout, interactive: Boolean(process.stdin.isTTY) });
    await app.stop();
    return 0;
  }
  const { runner } = await createApp({ config, logger });
  const { engine } = runner.ctx;
  const print = (value: object | string) => console.log(typeof value === "string" ? value : JSON.stringify(value));

  if (request.command === "search") {
    const { limit, page } = request;
    for await (const query of request.batch ? stdinLines() : [request.text]) {
      if (request.json) print(await searchJson(runner, query, limit, page));
      else print(renderText(fitReply(await searchAnswer(runner.ctx, query, page, limit))));
    }
    return 0;
  }
  if (request.command === "ask") return askCommand(runner, request.text, request.json);
  if (request.json) {
    const paper = request.command === "paper" ? findPaper(engine, request.text)?.paper : randomPaper(engine, request.text || undefined, Math.random);
    print(paper ?? { error: request.command === "paper" ? `no paper found for "${request.text}"` : `no papers match "${request.text}"` });
    return paper ? 0 : 1;
  }
  const reply = await runner.execute(request.command, request.command === "paper" ? { paper: request.text } : { topic: request.text || undefined });
  print(renderText(reply));
  return reply.ephemeral ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`paperbot: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else exitWith(error);
}
