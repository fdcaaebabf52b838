import { parseArgs } from "node:util";

export const USAGE = `Usage: paperbot <command> [options]

  search QUERY      search the corpus (--batch: one query per stdin line)
  ask QUESTION      an answer from the papers, citing them
  paper ID|TITLE    show one paper
  random [TOPIC]    a random paper, optionally on a topic
  console           the interactive console (what npm start opens without DISCORD_TOKEN)
  index             rebuild the search index snapshot (SNAPSHOT_DIR) for a fast start,
                    and embed every paper when EMBEDDINGS_API_URL is set
  ingest SOURCE     add papers from Hugging Face, arXiv or a file (paperbot ingest --help)

Options:
  --json            machine-readable output (search --batch prints one JSON line per query)
  --limit N         results per page, 1-50 (default 5)
  --page N          result page (default 1)

CORPUS_PATH chooses the corpus (default data/).`;

/** Bad usage: exit code 2 and the usage text. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** What a command line asks for. */
export type CliRequest =
  | { command: "help"; ok: boolean }
  | { command: "ingest"; args: string[] }
  | { command: "index" }
  | { command: "console" }
  | { command: "search"; text: string; batch: boolean; json: boolean; limit: number; page: number }
  | { command: "paper" | "random" | "ask"; text: string; json: boolean };

function wholeNumber(value: string | undefined, name: string, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
  return number;
}

/** Reads the arguments after `paperbot`; throws UsageError on anything it cannot use. */
export function parseCliArgs(argv: string[]): CliRequest {
  if (argv[0] === "ingest") return { command: "ingest", args: argv.slice(1) };
  let parsed;
  try {
    parsed = parseArgs({
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
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) return { command: "help", ok: values.help };
  const text = rest.join(" ");
  const json = values.json;
  switch (command) {
    case "index":
      return { command };
    case "console":
      return { command };
    case "search": {
      const limit = wholeNumber(values.limit, "limit", 50, 5);
      const page = wholeNumber(values.page, "page", 1000, 1);
      if (!values.batch && !text.trim()) throw new UsageError("search needs a QUERY (or --batch to read queries from stdin)");
      return { command, text, batch: values.batch, json, limit, page };
    }
    case "paper":
      if (!text.trim()) throw new UsageError("paper needs an ID or TITLE");
      return { command, text, json };
    case "ask":
      if (!text.trim()) throw new UsageError("ask needs a QUESTION");
      return { command, text, json };
    case "random":
      return { command, text, json };
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}
