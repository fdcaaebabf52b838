import { collapseWhitespace } from "../text/whitespace.ts";

/**
 * Text that goes into an SVG chart: user input made safe for XML, cut to a length, and measured so a
 * layout can place it. Widths are estimated for DejaVu Sans (the only font the renderer loads), erring wide
 * so that estimated room is never too small.
 */

/**
 * Characters XML 1.0 forbids (C0 controls but tab, LF, CR; lone surrogates; U+FFFE, U+FFFF), plus DEL and
 * the C1 controls, which XML allows but no font draws.
 */
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ELLIPSIS = "…";

/** User text as one clean line: white space collapsed, unprintable characters dropped, at most `max` code points. */
export function plainText(raw: string, max: number): string {
  return cutCodePoints(collapseWhitespace(raw.replace(NOT_XML, "")), max);
}

/** Cuts on code points (never half an emoji), marking a cut with "…". */
function cutCodePoints(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, Math.max(0, max - 1)).join("").trimEnd()}${ELLIPSIS}`;
}

/** Text for an element's content or an attribute value: every markup character as an entity. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Advance widths in em, rounded up from DejaVu Sans's own (digits 0.636, "a" 0.613, "m" 0.974, "A" 0.684).
 * Characters outside ASCII get a wide default: accented Latin and Cyrillic letters are about 0.6 em,
 * and a character the font lacks is drawn as a narrower box.
 */
const WIDTHS: Array<[RegExp, number]> = [
  [/[ilj.,:;'|!I`]/, 0.32],
  [/ /, 0.32],
  [/[frt()[\]{}\-/\\"*]/, 0.42],
  [/[mwMW%@]/, 1.0],
  [/[0-9]/, 0.64],
  [/[A-Z#&]/, 0.79],
  [/[<>=+~^]/, 0.84],
  [/[a-z$?_]/, 0.62],
];
const OTHER_WIDTH = 0.72;
/** DejaVu Sans Bold is about a tenth wider than the regular face. */
const BOLD_FACTOR = 1.12;

/** The estimated width in pixels of one line of `text` at `size` pixels. */
export function textWidth(text: string, size: number, bold = false): number {
  let ems = 0;
  for (const char of text) ems += WIDTHS.find(([chars]) => chars.test(char))?.[1] ?? OTHER_WIDTH;
  return ems * size * (bold ? BOLD_FACTOR : 1);
}

/** `text` cut (with "…") until it fits in `width` pixels. */
export function fitWidth(text: string, size: number, width: number, bold = false): string {
  if (textWidth(text, size, bold) <= width) return text;
  const points = Array.from(text.endsWith(ELLIPSIS) ? text.slice(0, -1) : text);
  while (points.length > 0 && textWidth(`${points.join("").trimEnd()}${ELLIPSIS}`, size, bold) > width) points.pop();
  return `${points.join("").trimEnd()}${ELLIPSIS}`;
}

/**
 * `text` wrapped at spaces into at most `maxLines` lines of `width` pixels; a word wider than a line is
 * broken, and whatever does not fit in the last line is cut with "…".
 */
export function wrapText(text: string, size: number, width: number, maxLines: number, bold = false): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest && lines.length < maxLines - 1 && textWidth(rest, size, bold) > width) {
    const points = Array.from(rest);
    let end = 0;
    while (end < points.length && textWidth(points.slice(0, end + 1).join(""), size, bold) <= width) end++;
    const space = points.lastIndexOf(" ", end);
    const cut = space > 0 ? space : Math.max(1, end);
    lines.push(points.slice(0, cut).join("").trimEnd());
    rest = points.slice(cut).join("").trimStart();
  }
  if (rest) lines.push(fitWidth(rest, size, width, bold));
  return lines;
}
