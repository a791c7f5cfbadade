/**
 * Side-by-side wording of two claims, with the words that differ marked, so an
 * analyst can see whether two sources are repeating one text.
 */

import { diffWords } from 'diff';

export interface WordingSegment {
  text: string;
  changed: boolean;
}

export interface WordingComparison {
  left: WordingSegment[];
  right: WordingSegment[];
}

// The default tokenizer of `diff` only knows Latin letters and would split
// Arabic or Persian words into single letters; a word segmenter keeps them whole.
const words = new Intl.Segmenter('und', { granularity: 'word' });

export function compareWording(left: string, right: string): WordingComparison {
  const leftParts: WordingSegment[] = [];
  const rightParts: WordingSegment[] = [];
  for (const change of diffWords(left, right, { intlSegmenter: words })) {
    if (!change.added) leftParts.push({ text: change.value, changed: change.removed });
    if (!change.removed) rightParts.push({ text: change.value, changed: change.added });
  }
  return { left: restoreSpacing(leftParts, left), right: restoreSpacing(rightParts, right) };
}

/**
 * `diffWords` ignores whitespace and hands back unchanged runs as spaced in the
 * right-hand text, so the left side would not read as its source wrote it.
 * Both sides keep every non-space character in order, so each segment is
 * re-cut from the original by counting those characters. Whitespace at the
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
