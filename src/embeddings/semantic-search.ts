import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Logger } from "pino";
import type { Paper } from "../corpus/paper.ts";
import type { EmbeddingsClient } from "./client.ts";
import { VectorFile } from "./vector-file.ts";
import { quantize, VectorIndex } from "./vector-index.ts";

/**
 * Search by meaning, beside the lexical engine, when the operator has an embeddings endpoint. Papers are
 * embedded once (batched, appended to a file beside the snapshot, resumed after a restart) and questions
 * as they come; `similar` gives the papers closest to a question for src/search/engine.ts to fuse with
 * its own ranking. An endpoint that fails never fails a search: `similar` answers undefined, search stays
 * lexical, and the outage is logged once, when it starts, and once when it ends.
 */

export interface SemanticStatus {
  model: string;
  /** Papers with a vector of their current text. */
  embedded: number;
  /** Why questions are answered by words alone right now, if they are. */
  failing?: string;
}

export interface EmbedProgress {
  done: number;
  total: number;
}

export class SemanticSearch {
  private index: VectorIndex | undefined;
  private file: VectorFile | undefined;
  /** The text hash each paper's vector was made from, so a changed abstract is embedded again. */
  private readonly hashes = new Map<string, string>();
  private failing: string | undefined;

  constructor(
    private readonly deps: { client: EmbeddingsClient; logger: Logger; dir?: string },
  ) {
    const path = this.path;
    if (!path) return;
    this.file = VectorFile.open(path, deps.client.config.model, (key, values, scale) => {
      const [id, hash] = splitKey(key);
      this.index ??= new VectorIndex(values.length);
      this.index.set(id, values, scale);
      this.hashes.set(id, hash);
    });
    if (this.index) deps.logger.info({ vectors: this.index.size, file: path }, "paper vectors loaded");
  }

  private get path(): string | undefined {
    const { dir, client } = this.deps;
    const model = client.config.model.replace(/[^\w.-]+/g, "_").slice(0, 60);
    return dir ? join(dir, `vectors-${model}-${shortHash(client.config.model)}.bin`) : undefined;
  }

  /** How much meaning counts against words in a fused ranking (src/search/query/fusion.ts). */
  get weight(): number | undefined {
    return this.deps.client.config.weight;
  }

  status(): SemanticStatus {
    return { model: this.deps.client.config.model, embedded: this.index?.size ?? 0, failing: this.failing };
  }

  /** Papers without a vector of their current text. */
  missing(papers: readonly Paper[]): Paper[] {
    return papers.filter((paper) => this.hashes.get(paper.id) !== textHash(paper));
  }

  /**
   * Embeds the papers that need it, batch by batch, each batch saved as it arrives, so that stopping at
   * any point loses at most one batch. Throws when the endpoint fails (what was saved stays saved).
   */
  async embedPapers(papers: readonly Paper[], onProgress?: (progress: EmbedProgress) => void, signal?: AbortSignal): Promise<number> {
    const todo = this.missing(papers);
    const { batchSize } = this.deps.client.config;
    for (let at = 0; at < todo.length; at += batchSize) {
      signal?.throwIfAborted();
      const batch = todo.slice(at, at + batchSize);
      const vectors = await this.deps.client.embed(batch.map(documentText), "document", signal);
      batch.forEach((paper, i) => this.store(paper, vectors[i]!));
      onProgress?.({ done: Math.min(at + batchSize, todo.length), total: todo.length });
    }
    return todo.length;
  }

  /** The ids of the `k` papers closest in meaning to `question`, best first; undefined when that cannot be known now. */
  async similar(question: string, k: number): Promise<Array<{ id: string; score: number }> | undefined> {
    if (!this.index) return undefined;
    try {
      const [vector] = await this.deps.client.embed([question], "query");
      this.recovered();
      return vector!.length === this.index.dims ? this.index.search(vector!, k).map((hit) => ({ id: hit.key, score: hit.score })) : undefined;
    } catch (error) {
      this.failed(error);
      return undefined;
    }
  }

  /** The ids of the `k` papers closest in meaning to the paper `id` (by its stored vector), itself left out; undefined without one. */
  similarToPaper(id: string, k: number): Array<{ id: string; score: number }> | undefined {
    const vector = this.index?.vector(id);
    if (!vector) return undefined;
    return this.index!.search(vector, k + 1).filter((hit) => hit.key !== id).slice(0, k).map((hit) => ({ id: hit.key, score: hit.score }));
  }

  close(): void {
    this.file?.close();
  }

  private store(paper: Paper, vector: Float32Array): void {
    const { values, scale } = quantize(vector);
    if (!this.index || this.index.dims !== vector.length) {
      // The first vectors, or a model that changed size: start afresh.
      this.index = new VectorIndex(vector.length);
      this.hashes.clear();
      this.file?.close();
      const path = this.path;
      this.file = path ? VectorFile.create(path, this.deps.client.config.model, vector.length) : undefined;
    }
    const hash = textHash(paper);
    this.index.set(paper.id, values, scale);
    this.hashes.set(paper.id, hash);
    this.file?.append(`${paper.id}#${hash}`, values, scale);
  }

  private failed(error: unknown): void {
    const reason = (error as Error).message;
    if (this.failing === undefined) this.deps.logger.warn({ err: error }, "embeddings endpoint failing: questions are ranked by words alone until it answers again");
    this.failing = reason;
  }

  private recovered(): void {
    if (this.failing === undefined) return;
    this.failing = undefined;
    this.deps.logger.info("embeddings endpoint answering again: questions are ranked by words and meaning");
  }
}

/** What a paper is embedded from. */
function documentText(paper: Paper): string {
  return paper.abstract ? `${paper.title}\n\n${paper.abstract}` : paper.title;
}

const shortHash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 8);
const textHash = (paper: Paper) => shortHash(documentText(paper));

function splitKey(key: string): [string, string] {
  const at = key.lastIndexOf("#");
  return [key.slice(0, at), key.slice(at + 1)];
}
