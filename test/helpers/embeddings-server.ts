import { createServer, type Server } from "node:http";
import { listenLocally, readBody } from "./local-http.ts";

/**
 * A local OpenAI-compatible embeddings endpoint (POST /v1/embeddings) for tests. Its "model" knows a few
 * concepts: words of one concept share a dimension ("saliency", "attribution", "heatmap" mean the same to
 * it), and any other word lands on a dimension picked by a hash. So a question can be close in meaning to
 * a paper it shares no word with, as with a real model, and every answer is deterministic.
 */

const CONCEPTS = [
  ["saliency", "attribution", "attributions", "heatmap", "heatmaps", "explanation", "explanations", "explains", "explain"],
  ["grokking", "generalization", "generalize", "delayed", "memorization", "memorize"],
  ["robot", "robots", "manipulator", "gripper", "grasping", "grasp"],
];
const DIMS = 64;

export function conceptVector(text: string): number[] {
  const vector = new Array<number>(DIMS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const concept = CONCEPTS.findIndex((words) => words.includes(word));
    let dim = concept;
    if (concept === -1) {
      let hash = 7;
      for (const char of word) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
      dim = CONCEPTS.length + (hash % (DIMS - CONCEPTS.length));
    }
    vector[dim]! += concept === -1 ? 0.3 : 1;
  }
  return vector;
}

export interface EmbeddingsServer {
  /** The API base to configure: EMBEDDINGS_API_URL. */
  url: string;
  requests: Array<{ model: string; input: string[]; authorization?: string }>;
  /** Answer every request with this HTTP status instead (e.g. 500), until set back to undefined. */
  failWith: number | undefined;
  close(): Promise<void>;
}

export async function startEmbeddingsServer(): Promise<EmbeddingsServer> {
  const state: EmbeddingsServer = { url: "", requests: [], failWith: undefined, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      if (req.method !== "POST" || req.url !== "/v1/embeddings") {
        res.writeHead(404).end();
        return;
      }
      const { model, input } = JSON.parse(body) as { model: string; input: string[] };
      state.requests.push({ model, input, authorization: req.headers.authorization });
      if (state.failWith) {
        res.writeHead(state.failWith, { "content-type": "application/json" }).end('{"error":{"message":"the model is unavailable"}}');
        return;
      }
      // Reversed, with indexes: a client must put them back in order.
      const data = input.map((text, index) => ({ object: "embedding", index, embedding: conceptVector(text) })).reverse();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", model, data }));
    });
  });
  Object.assign(state, await listenLocally(server, "/v1"));
  return state;
}
