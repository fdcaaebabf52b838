import type { Logger } from "pino";
import type { Paper } from "../corpus/paper.ts";
import { hybridSearch } from "../embeddings/hybrid.ts";
import type { SemanticSearch } from "../embeddings/semantic-search.ts";
import { RateLimiter } from "../rate-limit.ts";
import type { SearchEngine } from "../search/engine.ts";
import { checkCitations } from "./citations.ts";
import { extractAnswer } from "./extractive.ts";
import type { ChatModel } from "./model.ts";
import { askMessages } from "./prompt.ts";

/**
 * /ask: answers from the corpus with the papers cited, as PaperQA does it in small: retrieve the best
 * papers for the question (by words, and by meaning when there are embeddings), then answer only from
 * them. Offline, the answer is extracted: the sentences of their abstracts that answer best, each cited.
 * With a model, the model writes it from the numbered sources; its citations are checked, and an answer
 * citing none, a model that fails or times out, or a user over the hourly limit get the extracted
 * answer instead, with a short note saying why. When nothing in the corpus answers, it says so and shows
 * the closest papers rather than invent an answer.
 */

export interface Answer {
  question: string;
  /** "generated" by the model, "extracted" from abstracts, or "nothing" in the corpus answers. */
  mode: "generated" | "extracted" | "nothing";
  /** Plain text with citations "[n]" (1-based source numbers). */
  text: string;
  cited: number[];
  /** The sources, numbered from 1 in this order. */
  sources: Paper[];
  /** The model that wrote a generated answer. */
  model?: string;
  /** Why the answer is extracted although a model is configured. */
  note?: string;
}

/** Papers an answer is drawn from. */
export const SOURCES = 5;

export interface AskerOptions {
  engine: SearchEngine;
  semantic?: SemanticSearch;
  model?: ChatModel;
  logger: Logger;
  /** Model answers one person may have per hour; past it, answers are extracted. */
  modelAnswersPerHour: number;
  /** Model calls at once; past it, answers are extracted. */
  maxConcurrent: number;
  now?: () => number;
}

export class Asker {
  private readonly perUser: RateLimiter;
  private running = 0;

  constructor(private readonly options: AskerOptions) {
    this.perUser = new RateLimiter(options.modelAnswersPerHour, 3600_000, options.now);
  }

  /** "extracted from abstracts", or the model that writes answers. */
  get mode(): string {
    return this.options.model ? `answers written by ${this.options.model.config.model} from the papers` : "answers extracted from the papers' abstracts";
  }

  /**
   * Answers `question` from the best papers for it, or from `paper` alone. `onProgress` sees a streaming
   * model's answer as it grows (checked as the final one is).
   */
  async ask(question: string, context: { userId: string; paper?: Paper; onProgress?: (answer: Answer) => void }): Promise<Answer> {
    const { engine, semantic } = this.options;
    const sources = context.paper ? [context.paper] : (await hybridSearch(engine, semantic, question, { pageSize: SOURCES })).hits.map((hit) => hit.paper);
    const extracted = this.extracted(question, sources);
    const model = this.options.model;
    if (!model || sources.length === 0) return extracted;
    const refused = this.refusal(context.userId);
    if (refused) return { ...extracted, note: refused };
    this.running++;
    try {
      const onText = context.onProgress && ((soFar: string) => context.onProgress!(this.generated(question, sources, soFar)));
      const written = this.generated(question, sources, await model.complete(askMessages(question, sources), onText));
      if (written.cited.length > 0) return written;
      // The model found no answer in the papers (or would not cite them): what the papers say, if anything.
      return extracted.mode === "nothing" ? extracted : { ...extracted, note: "The model's answer cited none of the papers, so here is what the papers themselves say." };
    } catch (error) {
      this.options.logger.warn({ err: error, model: model.config.model }, "model answer failed: answering from the abstracts");
      return { ...extracted, note: `The model did not answer (${shortReason(error)}), so here is what the papers themselves say.` };
    } finally {
      this.running--;
    }
  }

  private extracted(question: string, sources: Paper[]): Answer {
    const chosen = extractAnswer(question, sources, (term) => this.options.engine.informativeness(term));
    if (chosen.length === 0) return { question, mode: "nothing", text: "", cited: [], sources };
    return {
      question,
      mode: "extracted",
      text: chosen.map((sentence) => `${sentence.text} [${sentence.source}]`).join(" "),
      cited: [...new Set(chosen.map((sentence) => sentence.source))].sort((a, b) => a - b),
      sources,
    };
  }

  private generated(question: string, sources: Paper[], reply: string): Answer {
    const { text, cited } = checkCitations(reply, sources.length);
    return { question, mode: "generated", text, cited, sources, model: this.options.model?.config.model };
  }

  /** Why this person gets no model answer now, if so. */
  private refusal(userId: string): string | undefined {
    if (this.running >= this.options.maxConcurrent) return "The model is busy with other questions, so here is what the papers themselves say.";
    const wait = this.perUser.take(userId);
    if (wait > 0) return `You have had ${this.options.modelAnswersPerHour} model answers this hour (more in ${Math.ceil(wait / 60_000)} min), so this one is what the papers themselves say.`;
    return undefined;
  }
}

function shortReason(error: unknown): string {
  const message = (error as Error).message ?? String(error);
  if (/timed out|TimeoutError|aborted/i.test(message)) return "it took too long";
  const status = /HTTP (\d{3})/.exec(message)?.[1];
  return status ? `HTTP ${status}` : "it could not be reached";
}
