/**
 * Side-by-side wording of two claims, with the words that differ marked, so an
 * analyst can see whether two sources are repeating one text. Texts written in two
 * different scripts (an English quote and an Arabic one) share no words to mark: they
 * are shown whole, with the scripts named, rather than marked from end to end.
 */

import { diffArrays } from 'diff';

export interface WordingSegment {
  text: string;
  changed: boolean;
}

export interface WordingComparison {
  left: WordingSegment[];
  right: WordingSegment[];
  /**
   * The two differ in more words than a word-by-word comparison is worth (and than the server may
   * spend on it): both are shown whole, unmarked, with a note saying so.
   */
  tooDifferent: boolean;
  /**
   * Set only when the two are written in different scripts (most likely different languages):
   * the script of each, e.g. `{ left: 'Latin', right: 'Arabic' }`. Both are then shown whole.
   */
  scripts?: { left: Script; right: Script };
}

/**
 * The scripts a text's letters are counted in, by their Unicode names. Chinese and Japanese
 * characters (Han, with Japanese kana) count as one: a Japanese text mixes all three.
 */
const SCRIPTS = [
  'Latin', 'Arabic', 'Cyrillic', 'Greek', 'Hebrew', 'Han', 'Hangul', 'Devanagari', 'Bengali', 'Tamil',
  'Thai', 'Armenian', 'Georgian', 'Ethiopic', 'Syriac', 'Thaana',
] as const;
export type Script = (typeof SCRIPTS)[number];

/** One capturing group per script, in SCRIPTS order, each a run of its letters (and marks, which belong to them). */
const SCRIPT_RUNS = new RegExp(
  SCRIPTS.map((script) =>
    script === 'Han' ? '([\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}]+)' : `(\\p{Script=${script}}[\\p{Script=${script}}\\p{M}]*)`,
  ).join('|'),
  'gu',
);

/** Fewer letters than this say nothing about a text's script. */
const MIN_LETTERS = 3;

/**
 * The script most of a text's letters are written in, or undefined for a text without letters
 * ("10", "—") or with too few to say (two letters could be an acronym in any text).
 */
export function dominantScript(text: string): Script | undefined {
  const letters = new Map<Script, number>();
  for (const match of text.matchAll(SCRIPT_RUNS)) {
    const index = match.findIndex((group, at) => at > 0 && group !== undefined);
    const script = SCRIPTS[index - 1]!;
    letters.set(script, (letters.get(script) ?? 0) + [...match[0]].length);
  }
  let best: [Script, number] | undefined;
  for (const counted of letters) if (best === undefined || counted[1] > best[1]) best = counted;
  return best !== undefined && best[1] >= MIN_LETTERS ? best[0] : undefined;
}

/**
 * The most words that may differ before the texts count as too different to mark. A comparison
 * costs about the square of the words that differ: two 10,000-character texts with nothing in
 * common took 9–11 s before there was a limit, and give up after about 12 ms with this one.
 */
export const MAX_WORDS_CHANGED = 200;

/**
 * A word: a run of letters, digits and combining marks, with the zero-width (non-)joiners that
 * Persian and Indic words carry, so Arabic and Persian words stay whole; a Chinese or Japanese
 * character, which is a word of its own; or any other visible character. Spaces are not tokens.
 * A regular expression rather than Intl.Segmenter: that took 60–250 ms for 10,000 characters.
 */
const WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{N}\p{M}\u200C\u200D])+|[^\s\p{L}\p{N}\p{M}]/gu;

function wordsOf(text: string): string[] {
  return text.match(WORD) ?? [];
}

/**
 * The two texts cut into segments, the words that differ marked; shown whole instead when they are
 * in different scripts (`scripts`) or differ in too many words (`tooDifferent`).
 */
export function compareWording(left: string, right: string, maxWordsChanged = MAX_WORDS_CHANGED): WordingComparison {
  const scripts = { left: dominantScript(left), right: dominantScript(right) };
  if (scripts.left !== undefined && scripts.right !== undefined && scripts.left !== scripts.right) {
    return { left: whole(left), right: whole(right), tooDifferent: false, scripts: { left: scripts.left, right: scripts.right } };
  }
  const changes = diffArrays(wordsOf(left), wordsOf(right), { maxEditLength: maxWordsChanged });
  if (changes === undefined) {
    return { left: whole(left), right: whole(right), tooDifferent: true };
  }
  const leftParts: WordingSegment[] = [];
  const rightParts: WordingSegment[] = [];
  for (const change of changes) {
    const text = change.value.join(' ');
    if (!change.added) leftParts.push({ text, changed: change.removed });
    if (!change.removed) rightParts.push({ text, changed: change.added });
  }
  return { left: restoreSpacing(leftParts, left), right: restoreSpacing(rightParts, right), tooDifferent: false };
}

function whole(text: string): WordingSegment[] {
  return text === '' ? [] : [{ text, changed: false }];
}

/**
 * The words come back without the spaces between them, so each segment is
 * re-cut from the original by counting its non-space characters: both sides
 * keep every non-space character in order. Whitespace at the
 * edge of a changed run is left unmarked, so highlighting starts and ends on words.
 */
function restoreSpacing(parts: WordingSegment[], original: string): WordingSegment[] {
  const cut: WordingSegment[] = [];
  let at = 0;
  for (const part of parts) {
    const start = at;
    let needed = part.text.replace(/\s+/g, '').length;
    for (; needed > 0 && at < original.length; at += 1) {
      if (!/\s/.test(original.charAt(at))) needed -= 1;
    }
    const body = original.slice(start, at);
    const lead = body.length - body.trimStart().length;
    cut.push({ text: body.slice(0, lead), changed: false }, { text: body.slice(lead), changed: part.changed });
  }
  cut.push({ text: original.slice(at), changed: false });
  return mergeAdjacent(cut.filter((p) => p.text !== ''));
}

function mergeAdjacent(parts: WordingSegment[]): WordingSegment[] {
  const merged: WordingSegment[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.changed === part.changed) last.text += part.text;
    else merged.push({ ...part });
  }
  return merged;
}
