/**
 * A text read into paragraphs, sentences and tagged words, with every word's place in the text, and
 * the stretches inside quotation marks. wink-nlp does the linguistics (sentences, parts of speech,
 * dates, durations, ordinals); the rest of src/extract/ works on what this returns.
 */
import winkNLP, { type ItemEntity, type ItemSentence } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

export interface Word {
  /** The word as written. */
  text: string;
  lower: string;
  /** Universal part of speech from wink-nlp: NOUN, PROPN, VERB, NUM, DET, ADP, PUNCT … */
  pos: string;
  /** The entity the word is part of, if any: DATE, TIME, DURATION, ORDINAL, CARDINAL, PERCENT, MONEY … */
  entity: string | null;
  start: number;
  end: number;
  /** Inside quotation marks: the index of the quoted stretch in `Reading.quotes`. */
  quote: number | null;
}

export interface Sentence {
  index: number;
  paragraph: number;
  start: number;
  end: number;
  text: string;
  words: Word[];
}

export interface QuotedStretch {
  /** The words between the marks, without them. */
  start: number;
  end: number;
  text: string;
}

export interface Reading {
  sentences: Sentence[];
  quotes: QuotedStretch[];
}

/** Loaded on first use (about 150 ms and 40 MB): only the extraction thread and the CLI read texts. */
let loaded: ReturnType<typeof winkNLP> | undefined;
function nlp(): ReturnType<typeof winkNLP> {
  return (loaded ??= winkNLP(model));
}

/** Every line is a paragraph: pasted articles put one per line, with or without blank lines between. */
export function readText(text: string): Reading {
  const quotes = findQuotes(text);
  const sentences: Sentence[] = [];
  let paragraph = 0;
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const start = lineStart;
    lineStart += line.length + 1;
    if (line.trim() === '') continue;
    readParagraph(line, start, paragraph++, quotes, sentences);
  }
  return { sentences, quotes };
}

function readParagraph(line: string, offset: number, paragraph: number, quotes: QuotedStretch[], into: Sentence[]): void {
  const doc = nlp().readDoc(line);
  const its = nlp().its;
  const tokens = doc.tokens();
  const texts = tokens.out() as string[];
  const tags = tokens.out(its.pos) as string[];
  const entities: (string | null)[] = texts.map(() => null);
  doc.entities().each((entity: ItemEntity) => {
    const [first, last] = entity.out(its.span) as unknown as [number, number];
    const type = entity.out(its.type) as string;
    for (let i = first; i <= last; i++) entities[i] = type;
  });
  // Where each word is: wink keeps the text's words unchanged, so each is found after the one before.
  const starts: number[] = [];
  let cursor = 0;
  for (const word of texts) {
    const at = line.indexOf(word, cursor);
    starts.push(at < 0 ? cursor : at);
    cursor = at < 0 ? cursor : at + word.length;
  }
  let quoteIndex = 0;
  doc.sentences().each((sentence: ItemSentence) => {
    const [first, last] = sentence.out(its.span) as unknown as [number, number];
    const words: Word[] = [];
    for (let i = first; i <= last; i++) {
      const start = offset + starts[i]!;
      const end = start + texts[i]!.length;
      while (quoteIndex < quotes.length && quotes[quoteIndex]!.end <= start) quoteIndex++;
      const stretch = quotes[quoteIndex];
      const inside = stretch !== undefined && stretch.start <= start && end <= stretch.end;
      words.push({
        text: texts[i]!,
        lower: texts[i]!.toLowerCase(),
        pos: tags[i]!,
        entity: entities[i]!,
        start,
        end,
        quote: inside ? quoteIndex : null,
      });
    }
    // Clauses joined by a semicolon often have different speakers ("Houthis say they hit a ship; U.S. downs 11 drones").
    for (const clause of splitAt(words, ';').flatMap(bounded)) {
      const start = clause[0]!.start;
      const end = clause.at(-1)!.end;
      into.push({ index: into.length, paragraph, start, end, text: lineSlice(line, offset, start, end), words: clause });
    }
  });
}

/**
 * Sentences of news run to 60 words or so. A run of text with no full stop (a list, a table, a text
 * built to be one sentence) is read in pieces of at most MAX_SENTENCE_WORDS, cut after a comma where
 * there is one: the rules look around each word within its sentence, and a proposal shows its sentence.
 */
export const MAX_SENTENCE_WORDS = 120;

function bounded(words: Word[]): Word[][] {
  if (words.length <= MAX_SENTENCE_WORDS) return [words];
  const pieces: Word[][] = [];
  let start = 0;
  while (words.length - start > MAX_SENTENCE_WORDS) {
    let cut = start + MAX_SENTENCE_WORDS;
    for (let i = cut - 1; i >= start + MAX_SENTENCE_WORDS / 2; i--) {
      if (words[i]!.text === ',' || words[i]!.text === ':') {
        cut = i + 1;
        break;
      }
    }
    pieces.push(words.slice(start, cut));
    start = cut;
  }
  pieces.push(words.slice(start));
  return pieces;
}

function splitAt(words: Word[], mark: string): Word[][] {
  const parts: Word[][] = [[]];
  for (const word of words) {
    parts.at(-1)!.push(word);
    if (word.text === mark) parts.push([]);
  }
  return parts.filter((part) => part.some((w) => w.pos !== 'PUNCT'));
}

function lineSlice(line: string, offset: number, start: number, end: number): string {
  return line.slice(start - offset, end - offset);
}

const OPENING: Record<string, string> = { '“': '”', '«': '»', '„': '“', '"': '"', '‘': '’' };

/**
 * The stretches between quotation marks. A quotation left open at the end of a paragraph runs on
 * only when the next paragraph opens with a mark again (the newswire convention); otherwise it ends
 * with its paragraph, so one stray mark cannot swallow the rest of the text. ‘ opens a quotation
 * only at the start of a word, and ’ closes one only at the end of a word: inside words it is an
 * apostrophe ("Syria’s").
 */
export function findQuotes(text: string): QuotedStretch[] {
  const stretches: QuotedStretch[] = [];
  let open: { closer: string; start: number } | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      if (open && !continuesQuote(text, i)) {
        pushStretch(text, stretches, open.start, i);
        open = null;
      }
      continue;
    }
    if (open) {
      if (ch === open.closer && !(ch === '’' && isLetter(text[i + 1]))) {
        pushStretch(text, stretches, open.start, i);
        open = null;
      }
      continue;
    }
    const closer = OPENING[ch];
    if (closer === undefined) continue;
    if (ch === '‘' && isLetter(text[i - 1])) continue;
    if (ch === '"' && isLetter(text[i - 1]) && isLetter(text[i + 1])) continue;
    open = { closer, start: i + 1 };
  }
  if (open) pushStretch(text, stretches, open.start, text.length);
  return stretches;
}

function continuesQuote(text: string, newline: number): boolean {
  const rest = text.slice(newline + 1, newline + 200).replace(/^\s+/, '');
  return /^[“"«„]/.test(rest);
}

function pushStretch(text: string, into: QuotedStretch[], start: number, end: number): void {
  const raw = text.slice(start, end);
  const trimmed = raw.trim();
  if (trimmed === '') return;
  const lead = raw.length - raw.trimStart().length;
  into.push({ start: start + lead, end: start + lead + trimmed.length, text: trimmed });
}

function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}
