/**
 * Parses a JSON array and tells the line each top-level element starts on, so that a bad record in a
 * pretty-printed file is reported by line like a bad line of JSON Lines.
 */
export function parseJsonArray(text: string): { items: unknown[]; lines: number[] } {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error("expected a JSON array");
  return { items: parsed, lines: elementStartLines(text) };
}

function elementStartLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectingElement = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\n") line++;
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectingElement && char !== undefined && !/\s/.test(char) && char !== "]") {
      lines.push(line);
      expectingElement = false;
    }
    if (char === '"') inString = true;
    else if (char === "[" || char === "{") {
      depth++;
      if (depth === 1) expectingElement = true;
    } else if (char === "]" || char === "}") depth--;
    else if (char === "," && depth === 1) expectingElement = true;
  }
  return lines;
}
