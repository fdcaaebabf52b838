import { createHash } from "node:crypto";
import { z } from "zod";
import { titleKey } from "../text/words.ts";

/** The one shape every loader produces and everything downstream consumes. */
export const PaperSchema = z.object({
  /** The arXiv id when known, else the source's own id, else derived from the normalized title. */
  id: z.string().min(1),
  title: z.string().min(1),
  abstract: z.string(),
  authors: z.array(z.string()),
  /** Publication date or year as the source gives it (ISO date "2024-08-02" or "2019"). */
  published: z.string().optional(),
  /** The day a listing (Hugging Face Daily Papers) featured the paper: "2024-08-04", or "--08-04" with no year. */
  listed: z.string().optional(),
  /** When arXiv last updated the paper (its newest version): "2024-08-09". */
  updated: z.string().optional(),
  venue: z.string().optional(),
  upvotes: z.number().int().nonnegative().optional(),
  /** Stars of the paper's code repository (Hugging Face `githubStars`). */
  stars: z.number().int().nonnegative().optional(),
  /** Comments on its Hugging Face page (`numComments`). */
  comments: z.number().int().nonnegative().optional(),
  keywords: z.array(z.string()),
  /** A short machine summary given by the source (Hugging Face `ai_summary`). */
  summary: z.string().optional(),
  links: z.object({
    page: z.string().optional(),
    arxiv: z.string().optional(),
    pdf: z.string().optional(),
    huggingface: z.string().optional(),
    project: z.string().optional(),
    /** A picture of the paper (Hugging Face's thumbnail), shown as the image of its card. */
    thumbnail: z.string().optional(),
    code: z.array(z.string()),
  }),
  /** Where the record came from: "path:line". */
  source: z.string(),
});
export type Paper = z.infer<typeof PaperSchema>;

const ARXIV_ID = /^(\d{4}\.\d{4,5})(v\d+)?$/;
const OLD_ARXIV_ID = /^([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(v\d+)?$/;
const ARXIV_URL = /(?:arxiv\.org\/(?:abs|pdf)|huggingface\.co\/papers)\/([^?#\s]+?)(?:\.pdf)?\/?(?:[?#].*)?$/i;

/** The arXiv id without its version ("2408.01234v2" -> "2408.01234"), or undefined when it is not one. */
export function arxivId(id: string): string | undefined {
  const match = ARXIV_ID.exec(id.trim()) ?? OLD_ARXIV_ID.exec(id.trim());
  return match?.[1];
}

/** Recognizes an arXiv id however a user pastes it: bare, versioned, "arXiv:...", or an abs/pdf/HF URL. */
export function parseArxivReference(text: string): string | undefined {
  // Discord users wrap links in <…> to stop the preview.
  const trimmed = text.trim().replace(/^<(.*)>$/, "$1").replace(/^arxiv:\s*/i, "");
  return arxivId(ARXIV_URL.exec(trimmed)?.[1] ?? trimmed);
}

/** A deterministic id for a paper the source gives no id: the same title gives the same id on every run. */
export function titleId(title: string): string {
  return "t-" + createHash("sha256").update(titleKey(title)).digest("hex").slice(0, 12);
}

const GITHUB_URL = /https?:\/\/(?:www\.)?github\.com\/[\w.-]+\/[\w.-]+/gi;

/** A repository link in one spelling: no trailing punctuation, slash or ".git". */
export function normalizeCodeLink(url: string): string {
  // Trailing punctuation trimmed by hand: /[.,;:)/]+$/ is quadratic on a long run of it.
  const trimmed = url.trim();
  let end = trimmed.length;
  while (end > 0 && ".,;:)/".includes(trimmed[end - 1]!)) end--;
  return trimmed.slice(0, end).replace(/\.git$/, "");
}

/** Code links (GitHub repositories) mentioned in a text, normalized and deduplicated. */
export function codeLinksIn(text: string): string[] {
  return [...new Set((text.match(GITHUB_URL) ?? []).map(normalizeCodeLink))];
}

/** arXiv and Hugging Face links for an arXiv id. */
export function arxivLinks(id: string): Pick<Paper["links"], "arxiv" | "pdf" | "huggingface"> {
  return {
    arxiv: `https://arxiv.org/abs/${id}`,
    pdf: `https://arxiv.org/pdf/${id}`,
    huggingface: `https://huggingface.co/papers/${id}`,
  };
}
