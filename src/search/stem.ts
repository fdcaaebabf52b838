/**
 * The Porter stemmer (M. F. Porter, 1980, with the published revisions "bli" -> "ble" and "logi" -> "log"):
 * "networks", "networking" and "networked" all become "network", so a query finds every form of a word.
 * Only plain a-z words are stemmed; numbers, codes and non-Latin words are left as they are.
 */

const PLAIN_WORD = /^[a-z]+$/;

const STEP2: Array<[string, string]> = [
  ["ational", "ate"], ["tional", "tion"], ["enci", "ence"], ["anci", "ance"], ["izer", "ize"], ["bli", "ble"],
  ["alli", "al"], ["entli", "ent"], ["eli", "e"], ["ousli", "ous"], ["ization", "ize"], ["ation", "ate"],
  ["ator", "ate"], ["alism", "al"], ["iveness", "ive"], ["fulness", "ful"], ["ousness", "ous"], ["aliti", "al"],
  ["iviti", "ive"], ["biliti", "ble"], ["logi", "log"],
];
const STEP3: Array<[string, string]> = [
  ["icate", "ic"], ["ative", ""], ["alize", "al"], ["iciti", "ic"], ["ical", "ic"], ["ful", ""], ["ness", ""],
];
const STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ou", "ism", "ate", "iti", "ous", "ive", "ize"];

/** Whether w[i] is a consonant: not a vowel, and "y" only after a vowel or at the start. */
function isConsonant(w: string, i: number): boolean {
  const c = w.charCodeAt(i);
  if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117) return false;
  if (c === 121) return i === 0 || !isConsonant(w, i - 1);
  return true;
}

/** Porter's m: the number of vowel-consonant sequences in w[0, end). */
function measure(w: string, end: number): number {
  let m = 0;
  let i = 0;
  while (i < end && isConsonant(w, i)) i++;
  while (i < end) {
    while (i < end && !isConsonant(w, i)) i++;
    if (i >= end) break;
    m++;
    while (i < end && isConsonant(w, i)) i++;
  }
  return m;
}

function hasVowel(w: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (!isConsonant(w, i)) return true;
  return false;
}

function endsWithDoubleConsonant(w: string, end: number): boolean {
  return end >= 2 && w[end - 1] === w[end - 2] && isConsonant(w, end - 1);
}

/** Consonant-vowel-consonant at the end, the last not w, x or y: "hop" (-> "hope"), not "snow". */
function endsCvc(w: string, end: number): boolean {
  if (end < 3 || !isConsonant(w, end - 1) || isConsonant(w, end - 2) || !isConsonant(w, end - 3)) return false;
  const last = w[end - 1];
  return last !== "w" && last !== "x" && last !== "y";
}

/** Replaces the first matching suffix when the rest has measure > `minMeasure`; undefined when none matched. */
function replaceSuffix(w: string, rules: Array<[string, string]>, minMeasure: number): string | undefined {
  for (const [suffix, replacement] of rules) {
    if (!w.endsWith(suffix)) continue;
    const stemEnd = w.length - suffix.length;
    return measure(w, stemEnd) > minMeasure ? w.slice(0, stemEnd) + replacement : w;
  }
  return undefined;
}

function step1(word: string): string {
  let w = word;
  if (w.endsWith("sses") || w.endsWith("ies")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);

  if (w.endsWith("eed")) {
    if (measure(w, w.length - 3) > 0) w = w.slice(0, -1);
  } else {
    const suffix = w.endsWith("ed") ? 2 : w.endsWith("ing") ? 3 : 0;
    if (suffix && hasVowel(w, w.length - suffix)) {
      w = w.slice(0, -suffix);
      if (w.endsWith("at") || w.endsWith("bl") || w.endsWith("iz")) w += "e";
      else if (endsWithDoubleConsonant(w, w.length) && !/[lsz]$/.test(w)) w = w.slice(0, -1);
      else if (measure(w, w.length) === 1 && endsCvc(w, w.length)) w += "e";
    }
  }

  // As in the reference implementation: "y" becomes "i" only after a consonant ("fly" -> "fli", "play" stays).
  if (w.length > 2 && w.endsWith("y") && !"aeiou".includes(w[w.length - 2]!)) w = w.slice(0, -1) + "i";
  return w;
}

function step4(w: string): string {
  for (const suffix of STEP4) {
    if (!w.endsWith(suffix)) continue;
    const stemEnd = w.length - suffix.length;
    return measure(w, stemEnd) > 1 ? w.slice(0, stemEnd) : w;
  }
  if (w.endsWith("ion")) {
    const stemEnd = w.length - 3;
    const before = w[stemEnd - 1];
    if ((before === "s" || before === "t") && measure(w, stemEnd) > 1) return w.slice(0, stemEnd);
  }
  return w;
}

function step5(word: string): string {
  let w = word;
  if (w.endsWith("e")) {
    const m = measure(w, w.length - 1);
    if (m > 1 || (m === 1 && !endsCvc(w, w.length - 1))) w = w.slice(0, -1);
  }
  if (w.endsWith("ll") && measure(w, w.length) > 1) w = w.slice(0, -1);
  return w;
}

export function stem(word: string): string {
  if (word.length < 3 || !PLAIN_WORD.test(word)) return word;
  let w = step1(word);
  w = replaceSuffix(w, STEP2, 0) ?? w;
  w = replaceSuffix(w, STEP3, 0) ?? w;
  return step5(step4(w));
}
