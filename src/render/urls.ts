import { LIMITS } from "../discord-api.ts";

/**
 * Every URL the bot sends (link buttons, embed links, masked links in text) comes from untrusted data: a
 * paper's record, an ingest source, a model. One rule for all of them: an absolute http(s) URL that parses,
 * at most 512 characters (Discord's limit for a link button; it rejects the whole message otherwise).
 * Anything else is dropped, never sent.
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url || url.length > LIMITS.url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
  // The URL as the WHATWG parser serializes it: no raw spaces, brackets or quotes left to break markdown.
  return parsed.href.length <= LIMITS.url ? parsed.href : undefined;
}
