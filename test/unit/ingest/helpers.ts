import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { listenLocally } from "../../helpers/local-http.ts";
import { pino } from "pino";

/** A fixture under test/fixtures/ingest. */
export const fixturePath = (name: string) => fileURLToPath(new URL(`../../fixtures/ingest/${name}`, import.meta.url));
export const fixture = (name: string) => readFile(fixturePath(name), "utf8");
export const corpusFixture = (name: string) => fileURLToPath(new URL(`../../fixtures/corpus/${name}`, import.meta.url));

export const silent = pino({ level: "silent" });

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Never answer: the client's timeout has to end the request. */
  hang?: boolean;
}

export interface Seen {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
}

export interface LocalServer {
  url: string;
  requests: Seen[];
  close: () => Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (a free port) answering with `handle`; it records every request. */
export async function startServer(handle: (request: Seen, index: number) => Reply | Promise<Reply>): Promise<LocalServer> {
  const requests: Seen[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const seen: Seen = { path: url.pathname, query: url.searchParams, headers: req.headers };
    requests.push(seen);
    const reply = await handle(seen, requests.length - 1);
    if (reply.hang) return;
    res.writeHead(reply.status ?? 200, reply.headers ?? { "content-type": "application/json" });
    res.end(reply.body ?? "");
  });
  return { ...(await listenLocally(server)), requests };
}

/**
 * Time that moves only when the code under test sleeps: backoff and pacing are checked without waiting.
 * `fetch` is the real one, noting the fake time each request starts at.
 */
export function fakeClock(start = Date.UTC(2024, 7, 6, 12)) {
  let time = start;
  const sleeps: number[] = [];
  const starts: number[] = [];
  const recordingFetch: typeof fetch = (...args) => {
    starts.push(time);
    return fetch(...args);
  };
  return {
    now: () => time,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
    starts,
    fetch: recordingFetch,
  };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "paperbot-ingest-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const json = (value: unknown): Reply => ({ body: JSON.stringify(value), headers: { "content-type": "application/json" } });
export const atom = (body: string): Reply => ({ body, headers: { "content-type": "application/atom+xml; charset=utf-8" } });

/**
 * A local "Hugging Face" daily papers API: page 0 of a day is `papers()` (a saved API response, or
 * undefined for none yet); page 1, which ends the paging, and anything else are an empty list.
 */
export function startDailyPapers(papers: () => string | undefined): Promise<LocalServer> {
  return startServer((request) => ({ body: (request.path.endsWith("/daily_papers") && request.query.get("p") !== "1" && papers()) || "[]" }));
}
