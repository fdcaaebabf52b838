import { z } from "zod";
import { LIMITS } from "./limits.ts";
import type { Button } from "./reply.ts";

/**
 * Buttons are stateless: a button's custom id carries everything its handler needs, as
 * "<command>:<payload>", so buttons keep working after a restart. A button whose id would exceed Discord's
 * 100 characters is left out rather than cut. Decoding validates, so a forged id is rejected, not trusted.
 */

function button(customId: string, label: string, style: "primary" | "secondary", disabled = false): Button | undefined {
  return customId.length <= LIMITS.customId ? { customId, label, style, disabled } : undefined;
}

export function searchPageButton(label: string, query: string, page: number, disabled: boolean): Button | undefined {
  return button(`search:${Math.max(1, page)}:${query.trim()}`, label, "secondary", disabled);
}

export function paperButton(label: string, id: string): Button | undefined {
  return button(`paper:${id}`, label, "primary");
}

export function randomButton(label: string, topic: string | undefined): Button | undefined {
  return button(`random:${topic?.trim() ?? ""}`, label, "primary");
}

/** Splits "command:payload"; the command module decodes its own payload. */
export function splitCustomId(customId: string): { command: string; payload: string } | undefined {
  const colon = customId.indexOf(":");
  return colon > 0 ? { command: customId.slice(0, colon), payload: customId.slice(colon + 1) } : undefined;
}

const SearchPagePayload = z.string().regex(/^\d{1,4}:.+$/).transform((payload) => {
  const colon = payload.indexOf(":");
  return { page: Number(payload.slice(0, colon)), query: payload.slice(colon + 1) };
});

export function decodeSearchPage(payload: string): { page: number; query: string } | undefined {
  const parsed = SearchPagePayload.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}
