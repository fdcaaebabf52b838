import { z } from "zod";
import { apiEndpoint, bearer, request, type HttpOptions } from "../net/http.ts";

/**
 * Embeddings from any OpenAI-compatible endpoint (`POST {base}/embeddings`: Ollama, llama.cpp server,
 * vLLM, LM Studio or a hosted one). Papers and questions go through the same model; asymmetric models
 * (e5, nomic, bge) get their query and document prefixes from the configuration.
 */

export interface EmbeddingsConfig {
  /** The API base, e.g. http://127.0.0.1:11434/v1 ("/embeddings" is appended; a full URL works too). */
  url: string;
  model: string;
  apiKey?: string;
  /** Per request; a question waits at most this long before search goes on without it. */
  timeoutMs: number;
  /** Texts per request when embedding papers. */
  batchSize: number;
  queryPrefix?: string;
  documentPrefix?: string;
  /** How much meaning counts against words (default: src/search/tuning.ts MEANING_WEIGHT). */
  weight?: number;
}

const EmbeddingsResponse = z.object({
  data: z.array(z.object({ embedding: z.array(z.number()), index: z.number().int().nonnegative().optional() })),
});

/** Papers are embedded from their title and abstract, cut to this many characters (models take ~512 tokens). */
const MAX_DOCUMENT_CHARS = 2000;

export class EmbeddingsClient {
  constructor(
    readonly config: EmbeddingsConfig,
    private readonly http: HttpOptions = {},
  ) {}

  private get endpoint(): string {
    return apiEndpoint(this.config.url, "/embeddings");
  }

  /** One vector per text, in order; throws (HttpError, or a clear Error for a malformed answer) on failure. */
  async embed(texts: string[], kind: "query" | "document", signal?: AbortSignal): Promise<Float32Array[]> {
    const prefix = (kind === "query" ? this.config.queryPrefix : this.config.documentPrefix) ?? "";
    // Many servers refuse an empty input: a paper with neither title nor abstract is embedded as one space.
    const input = texts.map((text) => `${prefix}${text}`.slice(0, MAX_DOCUMENT_CHARS) || " ");
    const response = await request(this.endpoint, {
      ...this.http,
      method: "POST",
      json: { model: this.config.model, input },
      headers: bearer(this.config.apiKey),
      accept: "application/json",
      timeoutMs: this.config.timeoutMs,
      // A question cannot wait for retries: search goes on by words. Papers can, and are retried.
      maxAttempts: kind === "query" ? 1 : this.http.maxAttempts,
      signal,
    });
    let parsed;
    try {
      parsed = EmbeddingsResponse.safeParse(JSON.parse(response.text));
    } catch {
      throw new Error(`${this.endpoint} did not answer JSON`);
    }
    if (!parsed.success) throw new Error(`${this.endpoint} answered something other than embeddings: ${parsed.error.issues[0]?.message}`);
    const data = [...parsed.data.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    if (data.length !== texts.length) throw new Error(`${this.endpoint} answered ${data.length} embeddings for ${texts.length} texts`);
    const dims = data[0]?.embedding.length ?? 0;
    if (dims === 0 || data.some((item) => item.embedding.length !== dims)) throw new Error(`${this.endpoint} answered embeddings of differing or zero length`);
    return data.map((item) => Float32Array.from(item.embedding));
  }
}
