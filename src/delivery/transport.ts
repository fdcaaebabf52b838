import type { Reply } from "../render/reply.ts";

/**
 * How the bot's own messages (digests, watch alerts) reach a channel or a person: Discord in the bot,
 * stdout in the offline console. Errors are thrown as SendError so a service can tell "stop trying" from
 * "try again".
 */
export interface Transport {
  /** Why the bot cannot post in that channel, or undefined when it can. */
  checkChannel(guildId: string, channelId: string): Promise<string | undefined>;
  /** The channel of the bot's direct messages with a user, opened if need be. */
  directChannel(userId: string): Promise<string>;
  /** Posts once: a retry with the same nonce must not make a second message. */
  send(channelId: string, reply: Reply, nonce: string): Promise<{ messageId: string }>;
  /**
   * The id of a recent message of ours whose footer is `marker` (exactly, or followed by " ·"), or
   * undefined when there is none; throws when it cannot tell (the channel unreadable), so that nothing is
   * sent twice on a guess.
   */
  findPosted(channelId: string, marker: string): Promise<string | undefined>;
}

/** "pause": the channel (or person) is gone or closed to us; "retry": a passing failure; "fail": this post cannot work. */
export type SendFailure = "pause" | "retry" | "fail";

export class SendError extends Error {
  override name = "SendError";
  constructor(
    readonly failure: SendFailure,
    message: string,
  ) {
    super(message);
  }
}
