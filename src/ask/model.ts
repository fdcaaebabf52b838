import { z } from "zod";
import { apiEndpoint, bearer, HttpError, request, type HttpOptions, USER_AGENT } from "../net/http.ts";

/**
 * A chat model behind any OpenAI-compatible `POST {base}/chat/completions` (Ollama, llama.cpp server,
 * vLLM, LM Studio or a hosted one): a timeout, bounded retries on 429 and 5xx, and optionally streaming,
 * with what has arrived so far passed on as it comes.
 */

export interface ModelConfig {
  /** The API base, e.g. http://127.0.0.1:11434/v1 ("/chat/completions" is appended; a full URL works too). */
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  maxTokens: number;
  stream: boolean;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

const Completion = z.object({ choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1) });
const Chunk = z.object({ choices: z.array(z.object({ delta: z.object({ content: z.string().nullish() }).optional() })) });

export class ChatModel {
  constructor(
    readonly config: ModelConfig,
    private readonly http: HttpOptions = {},
  ) {}

  private get endpoint(): string {
    return apiEndpoint(this.config.url, "/chat/completions");
  }

  private get headers(): Record<string, string> {
    return bearer(this.config.apiKey);
  }

  /** The model's reply; `onText` sees the text so far as it streams (when streaming is on). */
  async complete(messages: ChatMessage[], onText?: (soFar: string) => void): Promise<string> {
    const body = { model: this.config.model, messages, temperature: 0.2, max_tokens: this.config.maxTokens };
    if (this.config.stream && onText) {
      let streamed = false;
      try {
        return await this.stream(body, (soFar) => {
          streamed = true;
          onText(soFar);
        });
      } catch (error) {
        // A stream that failed before its first word (a 429, a 5xx) is asked again, with retries, whole.
        if (streamed) throw error;
      }
    }
    const response = await request(this.endpoint, {
      ...this.http,
      method: "POST",
      json: body,
      headers: this.headers,
      accept: "application/json",
      timeoutMs: this.config.timeoutMs,
      maxAttempts: this.http.maxAttempts ?? 3,
      retryTimeouts: false,
    });
    const parsed = Completion.safeParse(safeJson(response.text));
    if (!parsed.success) throw new Error(`${this.endpoint} answered something other than a chat completion`);
    return parsed.data.choices[0]!.message.content ?? "";
  }

  /** Server-sent events: one "data: {json}" line per piece, "data: [DONE]" at the end. */
  private async stream(body: object, onText: (soFar: string) => void): Promise<string> {
    const fetchFn = this.http.fetch ?? fetch;
    const response = await fetchFn(this.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream", "User-Agent": USER_AGENT, ...this.headers },
      body: JSON.stringify({ ...body, stream: true }),
      signal: AbortSignal.timeout(this.config.timeoutMs),
    });
    if (!response.ok || !response.body) throw new HttpError(`POST ${this.endpoint}: HTTP ${response.status}`, this.endpoint, response.status, 1);
    let text = "";
    let pending = "";
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(chunk, { stream: true });
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const data = line.startsWith("data:") ? line.slice(5).trim() : "";
        if (!data || data === "[DONE]") continue;
        const piece = Chunk.safeParse(safeJson(data));
        const delta = piece.success ? (piece.data.choices[0]?.delta?.content ?? "") : "";
        if (!delta) continue;
        text += delta;
        if (text.length > 20_000) throw new Error(`${this.endpoint} streamed more than 20,000 characters`);
        onText(text);
      }
    }
    return text;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
