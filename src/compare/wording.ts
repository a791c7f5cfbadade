/**
 * Side-by-side wording of two claims, with the words that differ marked, so an
 * analyst can see whether two sources are repeating one text.
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

export function compareWording(left: string, right: string, maxWordsChanged = MAX_WORDS_CHANGED): WordingComparison {
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
