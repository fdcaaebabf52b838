import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { queryOption } from "../../commands/search.ts";
import { createApp } from "../app.ts";
import type { CommandRunner } from "../commands/runner.ts";
import { runConsole } from "../console/console.ts";
import { renderText } from "../console/render-text.ts";
import { paperUrl } from "../render/papers.ts";
import { findPaper, randomPaper } from "../search/results/lookup.ts";
import { openSearch } from "../search/open-search.ts";
import { formatIngestReport, ingest, INGEST_USAGE, parseIngestArgs } from "../ingest/index.ts";
import { ingestOptions } from "../ingest/schedule.ts";
import { snapshotDir } from "../config.ts";
import { exitWith, startup } from "../startup.ts";

const USAGE = `Usage: paperbot <command> [options]

  search QUERY      search the corpus (--batch: one query per stdin line)
  paper ID|TITLE    show one paper
  random [TOPIC]    a random paper, optionally on a topic
  console           the interactive console (what npm start opens without DISCORD_TOKEN)
  index             rebuild the search index snapshot (SNAPSHOT_DIR) for a fast start
  ingest SOURCE     add papers from Hugging Face, arXiv or a file (paperbot ingest --help)

Options:
  --json            machine-readable output (search --batch prints one JSON line per query)
  --limit N         results per page, 1-50 (default 5)
  --page N          result page (default 1)

CORPUS_PATH chooses the corpus (default data/).`;

class UsageError extends Error {}

function positiveInt(value: string | undefined, name: string, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
  return number;
}

function searchJson(runner: CommandRunner, query: string, limit: number, page: number): object {
  const valid = queryOption.schema.safeParse(query);
  if (!valid.success) return { query, error: valid.error.issues[0]?.message };
  const result = runner.ctx.engine.search(valid.data, { page, pageSize: limit });
  return {
    query: valid.data,
    total: result.total,
    fullMatches: result.fullMatches,
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
  return 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "ingest") return ingestCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      batch: { type: "boolean", default: false },
      limit: { type: "string" },
      page: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (!["search", "paper", "random", "console", "index"].includes(command)) throw new UsageError(`unknown command "${command}"`);
  if (command === "index") return indexCommand();
  const limit = positiveInt(values.limit, "limit", 50, 5);
  const page = positiveInt(values.page, "page", 1000, 1);
  const text = rest.join(" ");
  if (command === "search" && !values.batch && !text.trim()) throw new UsageError("search needs a QUERY (or --batch to read queries from stdin)");
  if (command === "paper" && !text.trim()) throw new UsageError("paper needs an ID or TITLE");

  const { config, logger } = startup({ logLevel: "warn" });
  const runner = await createApp({ corpusPath: config.CORPUS_PATH, logger, snapshotDir: snapshotDir(config) });
  const print = (value: object | string) => console.log(typeof value === "string" ? value : JSON.stringify(value));

  if (command === "console") {
    await runConsole(runner, { input: process.stdin, output: process.stdout, interactive: Boolean(process.stdin.isTTY) });
    return 0;
  }
  if (command === "search") {
    const queries = values.batch ? stdinLines() : [text];
    for await (const query of queries) {
      if (values.json) print(searchJson(runner, query, limit, page));
      else print(renderText(await runner.execute("search", { query, page })));
    }
    return 0;
  }
  if (command === "paper" && values.json) {
    const paper = findPaper(runner.ctx.engine, text)?.paper;
    print(paper ?? { error: `no paper found for "${text}"` });
    return paper ? 0 : 1;
  }
  if (command === "random" && values.json) {
    const paper = randomPaper(runner.ctx.engine, text || undefined, Math.random);
    print(paper ?? { error: `no papers match "${text}"` });
    return paper ? 0 : 1;
  }
  const reply = await runner.execute(command, command === "paper" ? { paper: text } : { topic: text || undefined });
  print(renderText(reply));
  return reply.ephemeral ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`paperbot: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else exitWith(error);
}
