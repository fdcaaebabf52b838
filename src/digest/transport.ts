import type { Reply } from "../render/reply.ts";

/**
 * How a digest reaches a channel: Discord in the bot, stdout in the offline console. Errors are thrown
 * as DigestSendError so the service can tell "stop trying" from "try again".
 */
export interface DigestTransport {
  /** Why the bot cannot post in that channel, or undefined when it can. */
  checkChannel(guildId: string, channelId: string): Promise<string | undefined>;
  /** Posts once: a retry with the same nonce must not make a second message. */
  send(channelId: string, reply: Reply, nonce: string): Promise<{ messageId: string }>;
  /** The id of a recent message of ours whose text carries `marker`, if any. */
  findPosted(channelId: string, marker: string): Promise<string | undefined>;
}

/** "pause": the channel is gone or closed to us; "retry": a passing failure; "fail": this post cannot work. */
export type SendFailure = "pause" | "retry" | "fail";

export class DigestSendError extends Error {
  override name = "DigestSendError";
  constructor(
    readonly failure: SendFailure,
    message: string,
  ) {
    super(message);
  }
}
