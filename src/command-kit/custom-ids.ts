import { LIMITS } from "../discord-api.ts";
import type { Button, ButtonStyle } from "../render/reply.ts";

/**
 * A button's custom id is "<command>:<payload>": the runner routes a press to the command of that name,
 * and each command builds and decodes its own payloads, so buttons are stateless and keep working after a
 * restart. A button whose id would exceed Discord's 100 characters is left out rather than cut.
 */
export function actionButton(command: string, payload: string, label: string, style: ButtonStyle = "primary", disabled = false): Button | undefined {
  const customId = `${command}:${payload}`;
  return customId.length <= LIMITS.customId ? { customId, label, style, disabled } : undefined;
}

/** Splits "command:payload"; the command decodes (and validates) its own payload. */
export function splitCustomId(customId: string): { command: string; payload: string } | undefined {
  const colon = customId.indexOf(":");
  return colon > 0 ? { command: customId.slice(0, colon), payload: customId.slice(colon + 1) } : undefined;
}
