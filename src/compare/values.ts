/**
 * Reading a claim's value phrase ("at least eight rockets", "dozens", "Syria")
 * as an interval of counts, so that claims from different sources can be
 * compared arithmetically instead of by wording.
 *
 * What counts as a count: the phrase must START with one complete count
 * expression. It may be followed by a trailing noun phrase ("at least eight
 * rockets", "no casualties", "dozens of rockets"), but only when that tail is
 * plain words carrying no second count: "two women and two children" or
 * "eight rockets, two intercepted" stay text values, because reading just the
 * first number would silently misstate the claim. A count buried inside prose
 * ("killed 8", "the 3 bases") also stays text. When in doubt the parser says
 * "text", since a text value is only ever `unassessed`, whereas a wrong
 * number can produce a false `contradict`.
 */

export interface ClaimValue {
  /** The phrase as the source worded it (trimmed). */
  text: string;
  /** Both null for a text value; otherwise low is set and high null means unbounded. */
  low: number | null;
  high: number | null;
  /** Present only for a percentage ("10%", "ten per cent"): compared only with percentages. */
  unit?: 'percent';
}

export type CountValue = ClaimValue & { low: number };

export function isCount(value: ClaimValue | null | undefined): value is CountValue {
  return value != null && value.low !== null;
}

export function parseValue(phrase: string | null | undefined): ClaimValue | null {
  if (phrase == null) return null;
  const text = phrase.trim();
  if (text === '') return null;
  const normalised = normalise(text);
  // "1990s", "50s": a decade, or a plural of digits that says no count; never exactly that number.
  // "10m", "5g", "10km": a number with a unit's letters is a measure, not a count.
  if (normalised === null || /\d['’]?s\b/.test(normalised)) return { text, low: null, high: null };
  const interval = readCount(tokenize(normalised));
  if (!interval) return { text, low: null, high: null };
  return interval.percent ? { text, low: interval.low, high: interval.high, unit: 'percent' } : { text, low: interval.low, high: interval.high };
}

/** How a phrase was read, short enough for a table cell. */
export function formatInterval(value: ClaimValue | null): string {
  if (value === null) return '';
  const { low, high } = value;
  if (low === null) return 'text, not a count';
  const sign = value.unit === 'percent' ? '%' : '';
  if (high === null) return `${formatCount(low)}${sign} or more`;
  if (low === high) return low === 0 ? `0${sign}` : `exactly ${formatCount(low)}${sign}`;
  return `${formatCount(low)}${sign} to ${formatCount(high)}${sign}`;
}

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function formatCount(n: number): string {
  return countFormat.format(n);
}

// ---------------------------------------------------------------------------
// Tokens

type Token =
  | { kind: 'number'; value: number }
  | { kind: 'word'; word: string }
  | { kind: 'dash' }
  | { kind: 'plus' }
  | { kind: 'other' };

/** "10s", "100s", "1000s" (also "1,000s" and "100's") are the words "tens", "hundreds", "thousands". */
const ROUND_PLURALS: Record<string, string> = { '10': 'tens', '100': 'hundreds', '1000': 'thousands' };

/** Arabic-Indic (٠–٩) and Persian (۰–۹) digits, and the Arabic thousands and decimal separators. */
function westernDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\u066C/g, ',')
    .replace(/\u066B/g, '.');
}

/** A number with a unit's letters after it ("10m", "5g", "10km", "3 kg"): a measure. Case matters: "3M" is three million. */
const UNIT_AFTER_DIGITS = /\d\s?(?:m|km|cm|mm|g|kg|mg|t|ft|mi|lbs?|h|hrs?|min|sec|kph|mph|mw|kw|gw)\b(?![.'’]\w)/;

/** Scale letters after digits, as newsrooms write them: "10k", "2.5k", "3M", "3mn", "2bn", "1tn". */
const SCALE_SUFFIX = /(\d)\s?(k|K|M|mn|mln|mil|bn|b|bln|B|tn|trn)\b/g;
const SCALE_OF_SUFFIX: Record<string, string> = {
  k: 'thousand', K: 'thousand', M: 'million', mn: 'million', mln: 'million', mil: 'million',
  bn: 'billion', b: 'billion', bln: 'billion', B: 'billion', tn: 'trillion', trn: 'trillion',
};

/**
 * Lower case without the trailing full stop, every way of writing a number brought to one: digits
 * of any script, digits grouped with spaces ("1 234 567"), scale letters ("2.5k"), comparison signs
 * (">30", "≥ 30", "~100", "20~100"). The tokenizer takes care of spacing. Null for a measure.
 */
function normalise(text: string): string | null {
  const western = westernDigits(text)
    // "1 234 567" (spaces, no-break or thin spaces between groups of three).
    .replace(/(?<![\d.,])(\d{1,3})((?:[ \u00A0\u2009\u202F]\d{3})+)(?![\d.,]|[ \u00A0\u2009\u202F]?\d)/g, (_, head: string, groups: string) => head + groups.replace(/[ \u00A0\u2009\u202F]/g, ''));
  if (UNIT_AFTER_DIGITS.test(western)) return null;
  return western
    .replace(SCALE_SUFFIX, (_, digit: string, suffix: string) => `${digit} ${SCALE_OF_SUFFIX[suffix]}`)
    .toLowerCase()
    .replace(/(\d)\s*[~≈]\s*(\d)/g, '$1 to $2')
    .replace(/(?:>=|≥|=>)\s*/g, 'at least ')
    .replace(/(?:<=|≤|=<)\s*/g, 'at most ')
    .replace(/>\s*/g, 'more than ')
    .replace(/<\s*/g, 'fewer than ')
    .replace(/[~≈]\s*/g, 'about ')
    .replace(/[\s.]+$/, '')
    .replace(/(?<![\d,])(10|100|1,?000)['’]?s\b/g, (_, digits: string) => ROUND_PLURALS[digits.replace(',', '')]!);
}

// Digits accept thousands separators only in well-formed groups, so "1,2" is
// not silently read as 12. Decimals are tokenised so "1.5 million" works; a
// bare decimal is rejected later because a count is a whole number.
const TOKEN = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[\p{L}\p{M}][\p{L}\p{M}'’]*|\S/gu;
const DIGIT = /^\d/;
const LETTER = /^[\p{L}\p{M}]/u;
const DASHES = new Set(['-', '‐', '‑', '–', '—', '−']);

function tokenize(text: string): Token[] {
  return (text.match(TOKEN) ?? []).map((t): Token => {
    if (DIGIT.test(t)) return { kind: 'number', value: Number(t.replaceAll(',', '')) };
    if (LETTER.test(t)) return { kind: 'word', word: t };
    if (DASHES.has(t)) return { kind: 'dash' };
    if (t === '%' || t === '٪') return { kind: 'word', word: '%' };
    return t === '+' ? { kind: 'plus' } : { kind: 'other' };
  });
}

function wordAt(tokens: Token[], i: number): string | undefined {
  const t = tokens[i];
  return t?.kind === 'word' ? t.word : undefined;
}

/** Index after the words if tokens[i..] spell them, else -1. */
function matchWords(tokens: Token[], i: number, words: readonly string[]): number {
  for (let k = 0; k < words.length; k++) {
    if (wordAt(tokens, i + k) !== words[k]) return -1;
  }
  return i + words.length;
}

// ---------------------------------------------------------------------------
// Numbers: digits or spelled out, up to the millions

const UNITS: ReadonlyMap<string, number> = new Map([
  ['zero', 0], ['one', 1], ['two', 2], ['three', 3], ['four', 4], ['five', 5], ['six', 6],
  ['seven', 7], ['eight', 8], ['nine', 9], ['ten', 10], ['eleven', 11], ['twelve', 12],
  ['thirteen', 13], ['fourteen', 14], ['fifteen', 15], ['sixteen', 16], ['seventeen', 17],
  ['eighteen', 18], ['nineteen', 19],
]);
const TENS: ReadonlyMap<string, number> = new Map([
  ['twenty', 20], ['thirty', 30], ['forty', 40], ['fifty', 50], ['sixty', 60],
  ['seventy', 70], ['eighty', 80], ['ninety', 90],
]);
const SCALES: ReadonlyMap<string, number> = new Map([['thousand', 1e3], ['million', 1e6], ['billion', 1e9], ['trillion', 1e12]]);
const MULTIPLIERS: ReadonlyMap<string, number> = new Map([['dozen', 12], ['hundred', 100], ...SCALES]);
const PLURAL_SCALES: ReadonlyMap<string, number> = new Map([['thousands', 1e3], ['millions', 1e6], ['billions', 1e9], ['trillions', 1e12]]);

interface NumberMatch { n: number; next: number }

function digitAt(tokens: Token[], i: number): number | undefined {
  const t = tokens[i];
  if (t?.kind !== 'number') return undefined;
  return t.value;
}

function parseNumber(tokens: Token[], i: number): NumberMatch | null {
  const half = matchWords(tokens, i, ['half', 'a', 'dozen']);
  if (half !== -1) return { n: 6, next: half };
  const match = parseDigits(tokens, i) ?? parseSpelled(tokens, i);
  if (match === null) return null;
  const dozens = wordAt(tokens, match.next) === 'dozen' || wordAt(tokens, match.next) === 'dozens';
  const n = dozens ? match.n * 12 : match.n;
  return Number.isSafeInteger(n) ? { n, next: dozens ? match.next + 1 : match.next } : null;
}

function parseDigits(tokens: Token[], i: number): NumberMatch | null {
  const value = digitAt(tokens, i);
  if (value === undefined) return null;
  const w = wordAt(tokens, i + 1);
  const scale = w === 'dozen' ? undefined : (MULTIPLIERS.get(w ?? '') ?? PLURAL_SCALES.get(w ?? ''));
  if (scale === undefined) return { n: value, next: i + 1 };
  // Float noise must not turn "1.1 million" into a non-integer.
  const n = value * scale;
  return { n: Math.abs(n - Math.round(n)) < 1e-6 ? Math.round(n) : n, next: i + 2 };
}

/** "two hundred and five", "one thousand two hundred", "three million", "a hundred". */
function parseSpelled(tokens: Token[], i: number): NumberMatch | null {
  let total = 0;
  let pos = i;
  let lastScale = Infinity;
  let found = false;
  for (;;) {
    // "one thousand and five": "and" may only lead into the final small group,
    // so "between one thousand and two thousand" is not read as 1002.
    const afterAnd = found && wordAt(tokens, pos) === 'and' ? pos + 1 : pos;
    const group = parseBelowThousand(tokens, afterAnd);
    if (group === null) break;
    const scale = SCALES.get(wordAt(tokens, group.next) ?? '');
    if (afterAnd !== pos && (scale !== undefined || wordAt(tokens, group.next) === 'hundred')) break;
    found = true;
    if (scale !== undefined && scale < lastScale) {
      total += group.n * scale;
      lastScale = scale;
      pos = group.next + 1;
      continue;
    }
    total += group.n;
    pos = group.next;
    break;
  }
  return found ? { n: total, next: pos } : null;
}

function parseBelowThousand(tokens: Token[], i: number): NumberMatch | null {
  const w = wordAt(tokens, i);
  // "a" is a number only in front of a multiplier: "a hundred", "a dozen".
  const lead = (w === 'a' || w === 'an') && MULTIPLIERS.has(wordAt(tokens, i + 1) ?? '')
    ? { n: 1, next: i + 1 }
    : parseBelowHundred(tokens, i);
  if (lead === null || wordAt(tokens, lead.next) !== 'hundred') return lead;
  let n = lead.n * 100;
  let next = lead.next + 1;
  const afterAnd = wordAt(tokens, next) === 'and' ? next + 1 : next;
  const rest = parseBelowHundred(tokens, afterAnd);
  // In "between one hundred and two hundred" the "two" starts the next number; it is not 102.
  const restStartsNextNumber = rest !== null && ['hundred', 'dozen'].includes(wordAt(tokens, rest.next) ?? '');
  if (rest !== null && !restStartsNextNumber) {
    n += rest.n;
    next = rest.next;
  }
  return { n, next };
}

function parseBelowHundred(tokens: Token[], i: number): NumberMatch | null {
  const w = wordAt(tokens, i) ?? '';
  const unit = UNITS.get(w);
  if (unit !== undefined) return { n: unit, next: i + 1 };
  const tens = TENS.get(w);
  if (tens === undefined) return null;
  const unitAt = tokens[i + 1]?.kind === 'dash' ? i + 2 : i + 1;
  const ones = UNITS.get(wordAt(tokens, unitAt) ?? '');
  if (ones !== undefined && ones >= 1 && ones <= 9) return { n: tens + ones, next: unitAt + 1 };
  return { n: tens, next: i + 1 };
}

// ---------------------------------------------------------------------------
// Count expressions

interface IntervalMatch { low: number; high: number | null; next: number }

function about(n: number): { low: number; high: number } {
  const margin = Math.max(1, Math.ceil(n / 10));
  return { low: Math.max(0, n - margin), high: n + margin };
}

type Qualifier = (n: number) => { low: number; high: number | null } | null;

const atLeast: Qualifier = (n) => ({ low: n, high: null });
const moreThan: Qualifier = (n) => ({ low: n + 1, high: null });
const atMost: Qualifier = (n) => ({ low: 0, high: n });
// "fewer than none" has no sensible reading, so it falls back to text.
const fewerThan: Qualifier = (n) => (n >= 1 ? { low: 0, high: n - 1 } : null);
const nearly: Qualifier = (n) => (n >= 1 ? { low: about(n).low, high: n - 1 } : null);
const exactly: Qualifier = (n) => ({ low: n, high: n });

/** Qualifiers in front of a number, by their first word. */
const QUALIFIERS: ReadonlyMap<string, readonly [readonly string[], Qualifier][]> = byFirstWord([
  ['at least', atLeast], ['no fewer than', atLeast], ['no less than', atLeast],
  ['more than', moreThan], ['over', moreThan], ['upwards of', moreThan], ['in excess of', moreThan],
  ['above', moreThan], ['exceeding', moreThan], ['greater than', moreThan],
  ['greater than or equal to', atLeast], ['more than or equal to', atLeast], ['at least or equal to', atLeast],
  ['at most', atMost], ['up to', atMost], ['no more than', atMost],
  ['less than or equal to', atMost], ['fewer than or equal to', atMost],
  ['fewer than', fewerThan], ['less than', fewerThan], ['under', fewerThan], ['below', fewerThan],
  ['exactly', exactly], ['precisely', exactly], ['equals', exactly], ['equal to', exactly], ['a total of', exactly],
  ['about', about], ['around', about], ['approximately', about], ['roughly', about],
  ['some', about], ['an estimated', about],
  ['nearly', nearly], ['almost', nearly],
]);

/** Qualifiers after a number. */
const SUFFIXES: readonly [readonly string[], Qualifier][] = [
  [['or', 'more'], atLeast], [['or', 'greater'], atLeast], [['or', 'above'], atLeast], [['or', 'over'], atLeast],
  [['and', 'more'], atLeast], [['and', 'above'], atLeast], [['and', 'over'], atLeast],
  [['or', 'fewer'], atMost], [['or', 'less'], atMost], [['or', 'below'], atMost], [['or', 'under'], atMost],
  [['and', 'fewer'], atMost], [['and', 'less'], atMost], [['and', 'below'], atMost], [['and', 'under'], atMost],
  [['or', 'so'], about],
];

function byFirstWord(table: [string, Qualifier][]): Map<string, [string[], Qualifier][]> {
  const map = new Map<string, [string[], Qualifier][]>();
  for (const [phrase, qualify] of table) {
    const words = phrase.split(' ');
    const first = words[0] ?? '';
    map.set(first, [...(map.get(first) ?? []), [words, qualify]]);
  }
  return map;
}

const ZERO: readonly (readonly string[])[] = [['no', 'one'], ['nobody'], ['none'], ['nought'], ['naught'], ['nil'], ['no']];

const VAGUE: readonly { words: readonly string[]; low: number; high: number; plural: boolean }[] = [
  { words: ['a', 'couple'], low: 2, high: 2, plural: false },
  { words: ['a', 'pair'], low: 2, high: 2, plural: false },
  { words: ['a', 'trio'], low: 3, high: 3, plural: false },
  { words: ['a', 'score'], low: 20, high: 20, plural: false },
  { words: ['a', 'few'], low: 2, high: 5, plural: false },
  { words: ['a', 'handful'], low: 2, high: 5, plural: false },
  { words: ['several'], low: 3, high: 9, plural: false },
  { words: ['dozens'], low: 24, high: 99, plural: true },
  { words: ['tens'], low: 20, high: 99, plural: true },
  { words: ['scores'], low: 40, high: 99, plural: true },
  { words: ['hundreds'], low: 200, high: 999, plural: true },
  { words: ['thousands'], low: 2000, high: 9999, plural: true },
  { words: ['millions'], low: 2_000_000, high: 9_999_999, plural: true },
];

function readQualified(tokens: Token[], i: number): IntervalMatch | null {
  for (const [words, qualify] of QUALIFIERS.get(wordAt(tokens, i) ?? '') ?? []) {
    const at = matchWords(tokens, i, words);
    if (at === -1) continue;
    const number = parseNumber(tokens, at);
    const interval = number && qualify(number.n);
    if (number && interval) return { low: interval.low, high: interval.high, next: number.next };
  }
  return null;
}

function range(a: number, b: number, next: number): IntervalMatch {
  return { low: Math.min(a, b), high: Math.max(a, b), next };
}

/** "between N and M", "from N to M". */
function readBetween(tokens: Token[], i: number): IntervalMatch | null {
  for (const [open, join] of [['between', 'and'], ['from', 'to'], ['from', 'through']] as const) {
    if (wordAt(tokens, i) !== open) continue;
    const first = parseNumber(tokens, i + 1);
    if (first === null || wordAt(tokens, first.next) !== join) continue;
    const second = parseNumber(tokens, first.next + 1);
    if (second !== null) return range(first.n, second.n, second.next);
  }
  return null;
}

/**
 * "No information", "no comment", "no figure given" say nothing was counted, not that the count is
 * zero; read as zero they would contradict every real count. So "no" + one of these stays text.
 */
const NOT_A_COUNT_AFTER_NO = new Set([
  'information', 'info', 'comment', 'comments', 'details', 'detail', 'figure', 'figures', 'data', 'number', 'numbers',
  'estimate', 'estimates', 'confirmation', 'count', 'word', 'report', 'reports', 'official', 'independent', 'specific',
  'exact', 'clear', 'reliable', 'known', 'verified', 'precise', 'further', 'more', 'immediate', 'available', 'mention',
]);

function readZero(tokens: Token[], i: number): IntervalMatch | null {
  for (const words of ZERO) {
    const next = matchWords(tokens, i, words);
    if (next === -1) continue;
    if (words.length === 1 && words[0] === 'no' && NOT_A_COUNT_AFTER_NO.has(wordAt(tokens, next) ?? '')) return null;
    return { low: 0, high: 0, next };
  }
  return null;
}

/** "several", "dozens", and their multiples: "several hundred", "tens of thousands". */
function readVague(tokens: Token[], i: number): IntervalMatch | null {
  for (const vague of VAGUE) {
    const next = matchWords(tokens, i, vague.words);
    if (next === -1) continue;
    const scale = vague.plural
      ? (wordAt(tokens, next) === 'of' ? PLURAL_SCALES.get(wordAt(tokens, next + 1) ?? '') : undefined)
      : MULTIPLIERS.get(wordAt(tokens, next) ?? '');
    if (scale === undefined) return { low: vague.low, high: vague.high, next };
    // The top of "several hundred" is 999, not 900: any count in the ninth hundred fits.
    return { low: vague.low * scale, high: (vague.high + 1) * scale - 1, next: next + (vague.plural ? 2 : 1) };
  }
  return null;
}

/** N, N+, N or more, N or fewer, N or so, N to M, N or M, N-M. */
function readNumberPhrase(tokens: Token[], i: number): IntervalMatch | null {
  const number = parseNumber(tokens, i);
  if (number === null) return null;
  const { n, next } = number;
  if (tokens[next]?.kind === 'plus') return { low: n, high: null, next: next + 1 };
  for (const [words, qualify] of SUFFIXES) {
    const at = matchWords(tokens, next, words);
    const interval = at === -1 ? null : qualify(n);
    if (interval) return { low: interval.low, high: interval.high, next: at };
  }
  const joiner = tokens[next];
  if (joiner?.kind === 'dash' || ['to', 'or', 'through', 'thru'].includes(wordAt(tokens, next) ?? '')) {
    const second = parseNumber(tokens, next + 1);
    // "2023-24", "1990-95": years, not a range of counts.
    if (second !== null && joiner?.kind === 'dash' && isYear(n) && (second.n < 100 || isYear(second.n))) return null;
    if (second !== null) return range(n, second.n, second.next);
  }
  return { low: n, high: n, next };
}

function isYear(n: number): boolean {
  return n >= 1800 && n <= 2100;
}

// Words after which "a"/"an" names a measure, not one thing: "a number of casualties".
const MEASURE_NOUNS = new Set(['lot', 'lots', 'number']);

function readOne(tokens: Token[], i: number): IntervalMatch | null {
  const single = matchWords(tokens, i, ['a', 'single']);
  if (single !== -1) return { low: 1, high: 1, next: single };
  const w = wordAt(tokens, i);
  if (w === 'single') return { low: 1, high: 1, next: i + 1 };
  if (w !== 'a' && w !== 'an') return null;
  // "a barrage of rockets" counts barrages, and one barrage says nothing about rockets.
  if (MEASURE_NOUNS.has(wordAt(tokens, i + 1) ?? '') || wordAt(tokens, i + 2) === 'of') return null;
  return { low: 1, high: 1, next: i + 1 };
}

// A tail starting with one of these means the count expression was left
// unfinished or is relative to something else ("eight more", "ten per cent").
const CONNECTORS = new Set(['or', 'and', 'to', 'than', 'plus', 'more', 'fewer', 'less', 'times', 'per', 'percent']);

// Any of these in the tail means the phrase carries a second count.
const COUNT_WORDS = new Set([
  ...UNITS.keys(), ...TENS.keys(), ...MULTIPLIERS.keys(), ...PLURAL_SCALES.keys(),
  'dozens', 'hundreds', 'tens', 'scores', 'several', 'few', 'couple', 'handful', 'none', 'nobody',
]);

/**
 * After a number, these make it a part or a place in order, not a count: "two thirds", "a half",
 * "one quarter of", "11th", "3rd battalion", "two hundredth".
 */
const NOT_A_COUNT_AFTER = new Set([
  'st', 'nd', 'rd', 'th', 'half', 'halves', 'third', 'thirds', 'quarter', 'quarters', 'fifth', 'fifths', 'sixth', 'sixths',
  'seventh', 'sevenths', 'eighth', 'eighths', 'ninth', 'ninths', 'tenth', 'tenths', 'hundredth', 'hundredths',
  'thousandth', 'thousandths', 'millionth', 'millionths', 'percentile', 'percentiles',
]);

function isPlainTail(tokens: Token[], from: number): boolean {
  if (from >= tokens.length) return true;
  const first = wordAt(tokens, from);
  if (first === undefined || CONNECTORS.has(first) || NOT_A_COUNT_AFTER.has(first)) return false;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind === 'number' || (t?.kind === 'word' && COUNT_WORDS.has(t.word))) return false;
  }
  return true;
}

/** "more than 100 and fewer than 300", "at least 20 but no more than 100": both bounds of one count. */
function readTwoBounds(tokens: Token[], i: number): IntervalMatch | null {
  const lower = readQualified(tokens, i);
  if (lower === null || lower.high !== null) return null;
  const joiner = wordAt(tokens, lower.next);
  if (joiner !== 'and' && joiner !== 'but') return null;
  const upper = readQualified(tokens, lower.next + 1);
  if (upper === null || upper.high === null || upper.low !== 0 || upper.high < lower.low) return null;
  return { low: lower.low, high: upper.high, next: upper.next };
}

/** A percentage's sign or word after the count: "10%", "ten per cent", "5 pct", "30 percentage points". */
const PERCENT: readonly (readonly string[])[] = [['%'], ['percent'], ['per', 'cent'], ['pct'], ['percentage', 'points'], ['percentage']];

function readCount(tokens: Token[]): { low: number; high: number | null; percent: boolean } | null {
  const match =
    readTwoBounds(tokens, 0) ??
    readQualified(tokens, 0) ??
    readBetween(tokens, 0) ??
    readZero(tokens, 0) ??
    readVague(tokens, 0) ??
    readNumberPhrase(tokens, 0) ??
    readOne(tokens, 0);
  if (match === null) return null;
  for (const words of PERCENT) {
    const next = matchWords(tokens, match.next, words);
    if (next !== -1) return isPlainTail(tokens, next) ? { low: match.low, high: match.high, percent: true } : null;
  }
  if (!isPlainTail(tokens, match.next)) return null;
  return { low: match.low, high: match.high, percent: false };
}
