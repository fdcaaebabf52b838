import { createWriteStream } from "node:fs";
import type { Paper } from "../src/corpus/paper.ts";
import { seededRandom } from "./stats.ts";

/**
 * A corpus of any size made from the real one, for the scale run. It starts with the real papers; each
 * further paper is recombined from real pieces:
 * - title: the first half of one real title and the second half of another;
 * - abstract: 4-9 sentences drawn from all real abstracts, so words keep their real frequencies and
 *   their real company (a sentence about grasping still says "robot" and "gripper");
 * - authors, venue and year: those of a random real paper;
 * - one coined word per paper, glued from the halves of two real words ("diffuformer"), so that the
 *   vocabulary keeps growing with the corpus as real vocabularies do (Heaps' law) instead of stopping at
 *   the real corpus's 160k words.
 */
export async function writeSyntheticCorpus(real: readonly Paper[], count: number, path: string, seed = 1): Promise<void> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const sentences = real.flatMap((paper) => paper.abstract.split(/(?<=[.!?])\s+/)).filter((sentence) => sentence.length > 20);
  const words = [...new Set(real.slice(0, 20000).flatMap((paper) => paper.title.toLowerCase().match(/[a-z]{6,}/g) ?? []))];
  const halves = (title: string) => {
    const parts = title.split(" ");
    return [parts.slice(0, Math.ceil(parts.length / 2)).join(" "), parts.slice(Math.ceil(parts.length / 2)).join(" ")] as const;
  };
  const out = createWriteStream(path);
  const write = (line: string) => (out.write(line) ? undefined : new Promise<void>((resolve) => out.once("drain", () => resolve())));
  for (let i = 0; i < count; i++) {
    const base = real[i % real.length]!;
    let record: object;
    if (i < real.length) {
      record = { id: base.id, title: base.title, abstract: base.abstract, authors: base.authors, published: base.published, venue: base.venue };
    } else {
      const donor = pick(real);
      const coined = pick(words).slice(0, 4) + pick(words).slice(-5);
      const abstract = Array.from({ length: 4 + Math.floor(random() * 6) }, () => pick(sentences));
      abstract.splice(Math.floor(random() * abstract.length), 0, `We call it ${coined}.`);
      record = {
        id: `synthetic-${i}`,
        title: `${halves(base.title)[0]} ${halves(pick(real).title)[1]}`.trim(),
        abstract: abstract.join(" "),
        authors: donor.authors,
        published: donor.published,
        venue: donor.venue,
      };
    }
    await write(`${JSON.stringify(record)}\n`);
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
