/** Collapses hard line-wraps and runs of white space into single spaces. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
