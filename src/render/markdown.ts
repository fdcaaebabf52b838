import { safeUrl } from "./urls.ts";

/**
 * Paper text shown in Discord must render literally: no formatting, no masked links, and no pings, even
 * when a title contains "@everyone" (allowed_mentions stops the ping; the zero-width space keeps the
 * text from even looking like a mention).
 */

const INLINE_SPECIALS = /[\\*_~`|[\]<>]/g;
const LINE_START_SPECIALS = /^(\s*)([#>+-]|\d+\.)/gm;
const MENTION = /@(?=[\w!&])/g;

export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE_SPECIALS, "\\$&")
    .replace(LINE_START_SPECIALS, (_, space: string, marker: string) => `${space}\\${marker}`)
    .replace(MENTION, "@\u200b");
}

export function bold(markdown: string): string {
  return markdown ? `**${markdown}**` : "";
}

/** A masked link `[text](url)`, or the text alone when the url is not one to send (src/render/urls.ts). */
export function link(markdown: string, url: string | undefined): string {
  const safe = safeUrl(url);
  // Brackets would end the link early or start another (encodeURIComponent leaves parentheses alone).
  return safe ? `[${markdown}](${safe.replace(/[()[\]<>]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)})` : markdown;
}

/** Cuts plain text to at most `max` characters at a word boundary, marking the cut with "…". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = withoutHalfPair(text.slice(0, Math.max(0, max - 1)));
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/** A cut text without a dangling half of a surrogate pair (an emoji, a rare CJK character) at its end. */
export function withoutHalfPair(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, -1) : text;
}
