// Book-keeping for dispatched interactions: REST handlers write the bot's responses into an
// InteractionRecord (looked up by interaction token), tests read them through an InteractionHandle.
import type { APIInteraction, APIMessage } from "discord.js";
import type { UploadedFile } from "./payloads.ts";
import type { Notifier } from "./wait.ts";
import type { World } from "./world.ts";

export interface InteractionCallbackBody {
  type: number;
  data?: any;
}

/** A file the bot uploaded while answering, and with which response: the callback, an edit or a follow-up. */
export interface InteractionFile extends UploadedFile {
  via: "callback" | "edit" | "followUp";
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  channelId: string;
  userId: string;
  createdAt: number;
  /** Component/modal interactions: the message the component sits on (becomes @original on type 6/7). */
  componentMessage?: APIMessage;
  callback?: InteractionCallbackBody;
  /** Id (in world.messages) of the message that `@original` refers to, once the interaction was answered. */
  originalMessageId?: string;
  /** Bodies of PATCH .../messages/@original, in order. */
  edits: any[];
  /** Bodies of POST /webhooks/{appId}/{token}, in order. */
  followUps: any[];
  /** Files of every accepted callback, edit (of @original or a follow-up) and follow-up, in arrival order. */
  files: InteractionFile[];
}

export interface InteractionHandle {
  id: string;
  token: string;
  /** The INTERACTION_CREATE payload that was dispatched. */
  payload: APIInteraction;
  /** The first POST /interactions/{id}/{token}/callback body. */
  callback(timeoutMs?: number): Promise<InteractionCallbackBody>;
  /**
   * What the user ends up seeing first: callback `data` for types 4/7/8/9; after a deferred type 5/6,
   * the first @original edit, or the first follow-up (which on Discord replaces the "thinking" message).
   */
  finalMessage(timeoutMs?: number): Promise<any>;
  /** Current state of the @original message (after all edits), if the bot created one. */
  original(): APIMessage | undefined;
  edits(): any[];
  followUps(): any[];
  /**
   * Files the bot uploaded while answering (callback type 4/7, message edits, follow-ups), in order, with
   * filename, contentType and bytes (`data`). Rejected requests are not included; see `fake.requests` for those.
   */
  files(): InteractionFile[];
  /** Resolves with the index-th follow-up body (0-based) once it was posted. */
  waitForFollowUp(index?: number, timeoutMs?: number): Promise<any>;
}

export const DEFAULT_TIMEOUT_MS = 5000;

export class InteractionRegistry {
  private readonly byToken = new Map<string, InteractionRecord>();

  add(record: InteractionRecord): void {
    this.byToken.set(record.token, record);
  }

  get(token: string): InteractionRecord | undefined {
    return this.byToken.get(token);
  }
}

export function createHandle(
  record: InteractionRecord,
  payload: APIInteraction,
  world: World,
  notifier: Notifier,
): InteractionHandle {
  const label = `interaction ${record.id}`;
  const callback = (timeoutMs = DEFAULT_TIMEOUT_MS) =>
    notifier.until(() => record.callback, timeoutMs, () => `the bot to answer ${label} (POST /interactions/{id}/{token}/callback)`);
  return {
    id: record.id,
    token: record.token,
    payload,
    callback,
    async finalMessage(timeoutMs = DEFAULT_TIMEOUT_MS) {
      const started = Date.now();
      const cb = await callback(timeoutMs);
      if (cb.type !== 5 && cb.type !== 6) return cb.data;
      const remaining = Math.max(1, timeoutMs - (Date.now() - started));
      return notifier.until(
        () => record.edits[0] ?? record.followUps[0],
        remaining,
        () => `${label}: an edit of @original or a follow-up after deferred callback type ${cb.type}`,
      );
    },
    original: () => (record.originalMessageId ? world.messages.get(record.originalMessageId) : undefined),
    edits: () => [...record.edits],
    followUps: () => [...record.followUps],
    files: () => [...record.files],
    waitForFollowUp(index = 0, timeoutMs = DEFAULT_TIMEOUT_MS) {
      return notifier.until(() => record.followUps[index], timeoutMs, () => `${label}: follow-up #${index}`);
    },
  };
}
