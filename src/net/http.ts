import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "pino";
import { VERSION } from "../version.ts";

/**
 * HTTP for every outside service (ingest sources, embeddings and model endpoints): a timeout, a capped
 * response body, a User-Agent that says who we are, and bounded retries with exponential backoff and
 * jitter on what is worth retrying: 429, 5xx, timeouts and network errors (and whatever `isThrottled`
 * recognizes, such as arXiv's "Rate exceeded."). Other 4xx answers are final: asking again will not help.
 */

/** APIs ask clients to identify themselves; a blank or library default User-Agent is what gets blocked first. */
export const USER_AGENT = `paperbot/${VERSION} (Discord paper bot; node ${process.version})`;

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/** The largest response body read by default: far above any page of papers, far below a memory problem. */
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

export interface HttpOptions {
  fetch?: typeof fetch;
  /** GET unless given; a `json` body is sent as application/json. */
  method?: "GET" | "POST";
  json?: unknown;
  /** Extra request headers (an API key's Authorization). */
  headers?: Record<string, string>;
  /** A longer body (after decompression) fails the request with a clear message. */
  maxBytes?: number;
  /** Whether a timed-out attempt is tried again (default yes; a model that took too long will again). */
  retryTimeouts?: boolean;
  /** Injected so tests never wait for real. */
  sleep?: Sleep;
  /** Milliseconds since the epoch, for Retry-After given as an HTTP date. */
  now?: () => number;
  random?: () => number;
  /** Per attempt, body included. */
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  /** The longest we wait between attempts; a Retry-After longer than this ends the retries instead. */
  maxDelayMs?: number;
  userAgent?: string;
  accept?: string;
  /** Cancels everything (bot shutdown); never retried. */
  signal?: AbortSignal;
  logger?: Logger;
  /** A 2xx answer that really means "slow down" (arXiv answers "Rate exceeded." in plain text). */
  isThrottled?: (response: HttpText) => boolean;
}

export interface HttpText {
  url: string;
  status: number;
  headers: Headers;
  text: string;
}

export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | undefined,
    readonly attempts: number,
    readonly body?: string,
  ) {
    super(message);
  }
}

const RETRY_STATUS = (status: number) => status === 408 || status === 429 || status >= 500;

/** Seconds ("120") or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header?.trim()) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * An OpenAI-compatible API's endpoint from what an operator configures: the API base
 * ("http://127.0.0.1:11434/v1") or the endpoint itself, with or without a trailing slash.
 */
export function apiEndpoint(url: string, path: "/chat/completions" | "/embeddings"): string {
  const base = url.replace(/\/+$/, "");
  return base.endsWith(path) ? base : `${base}${path}`;
}

/** The Authorization header of an API key ({} without one). */
export function bearer(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
}

/** The wait before try `attempt` + 1 (attempt 1 waits `base`), doubling each time, at most `max`. */
export function doublingDelayMs(attempt: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** (attempt - 1));
}

/** Exponential backoff with "equal jitter": half fixed, half random, so many clients do not retry in step. */
export function backoffMs(attempt: number, base: number, max: number, random: () => number): number {
  const ceiling = doublingDelayMs(attempt, base, max);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

const excerpt = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 200);

class BodyTooLargeError extends Error {}

/**
 * The body as text, read as it streams and given up past `maxBytes`: fetch decompresses gzip on its own,
 * so a small download can unpack to any size, and only counting what arrives bounds it.
 */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  const tooLarge = () => new BodyTooLargeError(`the response is larger than ${maxBytes} bytes (the limit; see HTTP_MAX_BYTES)`);
  if (response.headers.get("content-encoding") === null && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Throwing out of the loop cancels the stream: nothing more is downloaded.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

type Attempt = { ok: true; response: HttpText } | { ok: false; error: HttpError; retry: boolean; waitMs?: number };

async function attempt(url: string, options: HttpOptions, number: number): Promise<Attempt> {
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const method = options.method ?? "GET";
  let response: HttpText;
  try {
    const raw = await fetchFn(url, {
      method,
      headers: {
        "User-Agent": options.userAgent ?? USER_AGENT,
        Accept: options.accept ?? "*/*",
        ...(options.json === undefined ? {} : { "Content-Type": "application/json" }),
        ...options.headers,
      },
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      signal,
      redirect: "follow",
    });
    response = { url, status: raw.status, headers: raw.headers, text: await readCapped(raw, options.maxBytes ?? DEFAULT_MAX_BYTES) };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    if (error instanceof BodyTooLargeError) return { ok: false, retry: false, error: new HttpError(`${method} ${url}: ${error.message}`, url, undefined, number) };
    const timedOut = timeout.aborted || (error as Error).name === "TimeoutError";
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = timedOut ? `timed out after ${timeoutMs} ms` : `network error: ${cause?.code ?? cause?.message ?? (error as Error).message}`;
    return { ok: false, retry: !timedOut || (options.retryTimeouts ?? true), error: new HttpError(`${method} ${url}: ${detail}`, url, undefined, number) };
  }
  const throttled = options.isThrottled?.(response) ?? false;
  if (response.status >= 200 && response.status < 300 && !throttled) return { ok: true, response };
  const what = throttled ? `throttled (HTTP ${response.status}: "${excerpt(response.text)}")` : `HTTP ${response.status}`;
  const body = excerpt(response.text);
  const error = new HttpError(`${method} ${url}: ${what}${!throttled && body ? `: ${body}` : ""}`, url, response.status, number, response.text);
  const now = options.now?.() ?? Date.now();
  return { ok: false, error, retry: throttled || RETRY_STATUS(response.status), waitMs: retryAfterMs(response.headers.get("retry-after"), now) };
}

/** The body of a successful request, or an HttpError once retries are exhausted or pointless. */
export async function request(url: string, options: HttpOptions = {}): Promise<HttpText> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const sleep = options.sleep ?? realSleep;
  for (let number = 1; ; number++) {
    const result = await attempt(url, options, number);
    if (result.ok) return result.response;
    const { error } = result;
    if (!result.retry || number >= maxAttempts) {
      if (result.retry) error.message += ` (gave up after ${number} attempts)`;
      throw error;
    }
    if (result.waitMs !== undefined && result.waitMs > maxDelayMs) {
      error.message += ` (the server asks to retry after ${Math.ceil(result.waitMs / 1000)} s, longer than we wait)`;
      throw error;
    }
    // The server's Retry-After, when it gives one, is the earliest it wants to hear from us again.
    const waitMs = Math.max(result.waitMs ?? 0, backoffMs(number, baseDelayMs, maxDelayMs, options.random ?? Math.random));
    options.logger?.warn({ url, status: error.status, attempt: number, waitMs }, `retrying: ${error.message}`);
    await sleep(waitMs, options.signal);
  }
}
