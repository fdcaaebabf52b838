import type { Writable } from "node:stream";
import type { DigestTransport } from "../digest/transport.ts";
import { renderText } from "./render-text.ts";

/** Digests in the offline console: any channel name works, and a post is printed where replies are. */
export function consoleDigestTransport(output: Writable): DigestTransport {
  let posted = 0;
  return {
    checkChannel: async () => undefined,
    async send(channelId, reply) {
      output.write(`[digest posted in #${channelId}]\n${renderText(reply)}\n\n`);
      return { messageId: `console-${++posted}` };
    },
    findPosted: async () => undefined,
  };
}
