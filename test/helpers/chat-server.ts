import { createServer, type Server } from "node:http";
import { listenLocally, readBody } from "./local-http.ts";

/**
 * A local OpenAI-compatible chat completions endpoint (POST /v1/chat/completions) for tests: it records
 * each request and answers as the test says (a text, an HTTP status, silence past a timeout, a stream).
 */

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  max_tokens?: number;
  stream?: boolean;
  authorization?: string;
}

export type ChatReply = { text: string } | { status: number } | { hang: true };

export interface ChatServer {
  /** The API base to configure: LLM_API_URL. */
  url: string;
  requests: ChatRequest[];
  /** Each request's answer, in order; the last one repeats. */
  replies: ChatReply[];
  close(): Promise<void>;
}

export async function startChatServer(replies: ChatReply[] = [{ text: "An answer [1]." }]): Promise<ChatServer> {
  const state: ChatServer = { url: "", requests: [], replies, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const request = { ...(JSON.parse(body) as ChatRequest), authorization: req.headers.authorization };
      state.requests.push(request);
      const reply = state.replies[Math.min(state.requests.length - 1, state.replies.length - 1)]!;
      if ("hang" in reply) return;
      if ("status" in reply) {
        res.writeHead(reply.status, { "content-type": "application/json" }).end('{"error":{"message":"no"}}');
        return;
      }
      if (!request.stream) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "c1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: reply.text }, finish_reason: "stop" }] }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const word of reply.text.match(/\S+\s*/g) ?? []) res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: word } }] })}\n\n`);
      res.end("data: [DONE]\n\n");
    });
  });
  Object.assign(state, await listenLocally(server, "/v1"));
  return state;
}
