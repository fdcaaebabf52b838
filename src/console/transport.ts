import type { Writable } from "node:stream";
import type { Transport } from "../delivery/transport.ts";
import { renderText } from "./render-text.ts";

/** Digests and alerts in the offline console: any channel name works, and a post is printed where replies are. */
export function consoleTransport(output: Writable): Transport {
  let posted = 0;
  return {
    checkChannel: async () => undefined,
    directChannel: async (userId) => `dm-${userId}`,
    async send(channelId, reply) {
      output.write(`[${channelId.startsWith("dm-") ? "sent to you directly" : `posted in #${channelId}`}]\n${renderText(reply)}\n\n`);
      return { messageId: `console-${++posted}` };
    },
    findPosted: async () => undefined,
  };
}
