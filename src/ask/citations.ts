/**
 * Checking a model's citations after it wrote: "[2]", "[1, 3]" or "[1][3]" name sources by number. A
 * number that is not one of the sources is removed (with a bracket left empty by that, the bracket), and
 * what remains tells which sources the answer really cites.
 */

const CITATION = /\[(\s*\d{1,3}(?:\s*[,;]\s*\d{1,3})*\s*)\]/g;

export function checkCitations(text: string, sources: number): { text: string; cited: number[] } {
  const cited = new Set<number>();
  const cleaned = text.replace(CITATION, (_, inside: string) => {
    const valid = inside
      .split(/[,;]/)
      .map((part) => Number(part.trim()))
      .filter((n) => Number.isInteger(n) && n >= 1 && n <= sources);
    for (const n of valid) cited.add(n);
    return valid.length ? `[${[...new Set(valid)].join(", ")}]` : "";
  });
  return { text: cleaned.replace(/ +([.,;:!?])/g, "$1").replace(/ {2,}/g, " ").trim(), cited: [...cited].sort((a, b) => a - b) };
}
