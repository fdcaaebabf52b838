import { LIMITS } from "../discord-api.ts";
import { truncate, withoutHalfPair } from "./markdown.ts";
import { safeUrl } from "./urls.ts";
import type { Button, Choice, Embed, Reply } from "./reply.ts";

/** Discord's limits (src/discord-api.ts), enforced in one place: every reply passes through `fitReply` before it is sent. */

/**
 * Cuts Discord markdown to `max` characters without leaving a dangling escape, an unclosed masked link or
 * an odd `**`, so that a cut never changes how the kept text renders.
 */
export function truncateMarkdown(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = withoutHalfPair(text.slice(0, max - 1));
  const lastBreak = Math.max(cut.lastIndexOf(" "), cut.lastIndexOf("\n"));
  if (lastBreak > max * 0.6) cut = cut.slice(0, lastBreak);
  const openLink = cut.lastIndexOf("[");
  if (openLink > cut.lastIndexOf(")") && openLink > 0 && cut[openLink - 1] !== "\\") cut = cut.slice(0, openLink);
  cut = cut.replace(/(?<!\\)(\\\\)*\\$/, "$1");
  if ((cut.match(/(?<!\\)\*\*/g) ?? []).length % 2 === 1) cut = cut.replace(/\*\*(?!.*\*\*)/s, "");
  return `${cut.trimEnd()}…`;
}

function embedLength(embed: Embed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

const ATTACHMENT = "attachment://";

/** An embed's picture: an http(s) URL that passes the check, or one of the reply's own files. */
function fitImage(image: string | undefined, files: ReadonlySet<string>): string | undefined {
  if (image?.startsWith(ATTACHMENT)) return files.has(image.slice(ATTACHMENT.length)) ? image : undefined;
  return safeUrl(image);
}

function fitEmbed(embed: Embed, files: ReadonlySet<string>): Embed {
  return {
    ...embed,
    url: safeUrl(embed.url),
    image: fitImage(embed.image, files),
    title: embed.title === undefined ? undefined : truncateMarkdown(embed.title, LIMITS.embedTitle),
    description: embed.description === undefined ? undefined : truncateMarkdown(embed.description, LIMITS.embedDescription),
    footer: embed.footer === undefined ? undefined : truncateMarkdown(embed.footer, LIMITS.footer),
    fields: embed.fields?.slice(0, LIMITS.fields).map((field) => ({
      ...field,
      name: truncateMarkdown(field.name || "\u200b", LIMITS.fieldName),
      value: truncateMarkdown(field.value || "\u200b", LIMITS.fieldValue),
    })),
  };
}

const totalLength = (embeds: Embed[]) => embeds.reduce((sum, embed) => sum + embedLength(embed), 0);

/**
 * Brings all embeds together under Discord's 6000 characters: the longest description is cut first, then
 * the last fields, then the last embeds. Every step makes the reply strictly shorter, so this ends.
 */
function fitTotal(embeds: Embed[]): Embed[] {
  const fitted = [...embeds];
  while (totalLength(fitted) > LIMITS.embedTotal) {
    const excess = totalLength(fitted) - LIMITS.embedTotal;
    const longest = fitted.reduce((best, embed, i) => ((embed.description?.length ?? 0) > (fitted[best]?.description?.length ?? 0) ? i : best), 0);
    const description = fitted[longest]?.description ?? "";
    const withFields = fitted.findLastIndex((embed) => (embed.fields?.length ?? 0) > 0);
    if (description.length > 1) {
      const keep = description.length - excess;
      fitted[longest] = { ...fitted[longest], description: keep >= 2 ? truncateMarkdown(description, keep) : undefined };
    } else if (withFields !== -1) {
      fitted[withFields] = { ...fitted[withFields], fields: fitted[withFields]!.fields!.slice(0, -1) };
    } else if (fitted.length > 1) {
      fitted.pop();
    } else {
      return [{ ...fitted[0], footer: undefined }]; // a lone title (<= 256) and nothing else always fits
    }
  }
  return fitted;
}

function fitButton(button: Button): Button | undefined {
  if ("customId" in button && button.customId.length > LIMITS.customId) return undefined;
  if ("url" in button) {
    const url = safeUrl(button.url);
    return url ? { url, label: truncateMarkdown(button.label, LIMITS.buttonLabel) } : undefined;
  }
  return { ...button, label: truncateMarkdown(button.label, LIMITS.buttonLabel) };
}

/**
 * The reply cut to Discord's limits. Buttons whose custom id is too long, and URLs that are not http(s),
 * do not parse or are too long (src/render/urls.ts), are dropped, never cut.
 */
export function fitReply(reply: Reply): Reply {
  // Commands bound what they attach; this is the last guard against a file Discord would refuse.
  const files = reply.files?.filter((file) => file.data.byteLength <= LIMITS.fileBytes).slice(0, LIMITS.files);
  const names = new Set((files ?? []).map((file) => file.name));
  return {
    ...reply,
    content: reply.content === undefined ? undefined : truncateMarkdown(reply.content, LIMITS.content),
    embeds: reply.embeds ? fitTotal(reply.embeds.slice(0, LIMITS.embeds).map((embed) => fitEmbed(embed, names))) : undefined,
    files,
    buttons: reply.buttons
      ?.slice(0, LIMITS.buttonRows)
      .map((row) => row.slice(0, LIMITS.buttonsPerRow).flatMap((button) => fitButton(button) ?? []))
      .filter((row) => row.length > 0),
  };
}

/** Autocomplete choices cut to Discord's limits; a value too long to be used is dropped, never cut. */
export function fitChoices(choices: Choice[]): Choice[] {
  return choices
    .filter((choice) => choice.value.length > 0 && choice.value.length <= LIMITS.choiceValue)
    .slice(0, LIMITS.choices)
    .map((choice) => ({ name: truncate(choice.name, LIMITS.choiceName) || "…", value: choice.value }));
}
