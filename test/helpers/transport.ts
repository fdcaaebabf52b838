import { SendError, type Transport } from "../../src/delivery/transport.ts";
import type { Reply } from "../../src/render/reply.ts";

/**
 * A transport that records posts, drops a repeated nonce like Discord, fails on demand (queue a SendError
 * in `failures`), calls a channel named "closed" closed, and opens "dm-<user>" channels for direct messages
 * (refused, as Discord's 50007, for users in `refusing`).
 */
export function recordingTransport() {
  const posts: Array<{ channelId: string; reply: Reply; nonce: string }> = [];
  const failures: SendError[] = [];
  const refusing = new Set<string>();
  const transport: Transport & { posts: typeof posts; failures: typeof failures; seen: Set<string>; refusing: typeof refusing } = {
    posts,
    failures,
    refusing,
    seen: new Set(),
    checkChannel: async (_guild, channel) => (channel === "closed" ? "I am missing the Send Messages permission there" : undefined),
    directChannel: async (userId) => `dm-${userId}`,
    async send(channelId, reply, nonce) {
      const failure = failures.shift();
      if (failure) throw failure;
      if (channelId.startsWith("dm-") && refusing.has(channelId.slice(3))) throw new SendError("pause", "Cannot send messages to this user (Discord error 50007)");
      if (!transport.seen.has(nonce)) posts.push({ channelId, reply, nonce });
      transport.seen.add(nonce);
      return { messageId: `m-${nonce}` };
    },
    findPosted: async () => undefined,
  };
  return transport;
}
