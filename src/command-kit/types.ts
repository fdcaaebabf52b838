import type { Logger } from "pino";
import type { DigestService } from "../digest/service.ts";
import type { IngestStatus } from "../ingest/scheduled-ingest.ts";
import type { Asker } from "../ask/asker.ts";
import type { Responsiveness } from "../responsiveness.ts";
import type { SemanticSearch } from "../embeddings/semantic-search.ts";
import type { SearchEngine } from "../search/engine.ts";
import type { QueryStore } from "../store/queries.ts";
import type { SavedPapers } from "../store/saved.ts";
import type { WatchService } from "../watch/service.ts";
import type { Choice, Reply } from "../render/reply.ts";
import type { Cluster } from "../cluster/ownership.ts";
import type { CommandDefinition } from "./options.ts";

/** What every handler may use. Adapters build one and pass it to every call. */
export interface CommandContext {
  engine: SearchEngine;
  corpus: { size: number; files: string[]; problems: number; duplicatesMerged: number; loadMs: number };
  version: string;
  startedAt: Date;
  /** Uniform in [0, 1): injectable so that tests can pin random picks. */
  random: () => number;
  logger: Logger;
  /** Long search queries saved for their buttons, when there is a database (not in the CLI). */
  queries?: QueryStore;
  /** Each person's saved papers, when there is a database. */
  saved?: SavedPapers;
  /** Watches (saved queries with alerts), when the adapter delivers them. */
  watches?: WatchService;
  /** The time now, from the clock that schedules (tests and demos pretend another). */
  now: () => number;
  /** Answers questions from the papers (/ask, mentions, DMs). */
  asker?: Asker;
  /** Search by meaning, when an embeddings endpoint is configured. */
  semantic?: SemanticSearch;
  /** Scheduled digests, when the adapter runs them. */
  digest?: DigestService;
  /** The scheduled ingest's last outcome, when the bot ingests. */
  ingest?: IngestStatus;
  /** The event loop's delay since start, for /about (when the process watches it). */
  responsiveness?: Responsiveness;
  /** Every command, for /help. */
  commands: () => readonly Command[];
  /** The shards this process runs, when the bot is sharded (/about shows them). */
  cluster?: Cluster;
  /** Which process runs the scheduled ingest ("paperbot host:pid"), when processes share PostgreSQL. */
  ingestLeader?: () => Promise<string | undefined>;
}

/** Who ran a command, and where: what permission checks and per-server features need. */
export interface Invocation {
  userId: string;
  guildId?: string;
  channelId?: string;
  /** Whether the member has Discord's Manage Server permission (always true in the offline console). */
  canManageServer: boolean;
  /** Whether the member may see and post in a channel of the server (undefined when unknown, e.g. in the console). */
  canPostIn?: (channelId: string) => boolean | undefined;
  /** A long answer's reply so far, shown while it is being written (Discord edits the reply in place). */
  progress?: (reply: Reply) => void;
}

/** The offline console's invocation: one local user who owns the (pretend) server. */
export const CONSOLE_INVOCATION: Invocation = { userId: "console", guildId: "console", channelId: "console", canManageServer: true };

/** One slash command: its definition and its handlers, in one file under commands/. */
export interface Command {
  definition: CommandDefinition;
  /** One line per usage example, shown by /help. */
  examples: string[];
  execute(ctx: CommandContext, options: Record<string, unknown>, invocation: Invocation): Reply | Promise<Reply>;
  /** Suggestions for the focused option as the user types. */
  autocomplete?(ctx: CommandContext, option: string, value: string, invocation: Invocation): Choice[];
  /** A press of one of this command's buttons: the payload is the custom id after "<name>:". */
  component?(ctx: CommandContext, payload: string, invocation: Invocation): Reply | Promise<Reply>;
  /** A form of this command's submitted: the payload is the custom id after "<name>:", `fields` its values. */
  modal?(ctx: CommandContext, payload: string, fields: Record<string, string>, invocation: Invocation): Reply | Promise<Reply>;
  /** Answers take seconds (a model writes them): Discord is told "thinking…" at once, then the reply edited in. */
  deferred?: boolean;
}
