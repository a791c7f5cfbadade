/**
 * The counts a sentence claims, each with what it counts and what happened to it: "at least eight
 * rockets" were fired, "two of the three attacking drones" were shot down, the attack "did not cause
 * any damage or casualties". Dates, ages, durations, distances, times, ordinals and years are
 * refused before anything else, so they never need attributing.
 */
import { parseValue, type ClaimValue } from '../compare/values.js';
import type { Sentence, Word } from './reading.js';
import { textOf } from './speakers.js';
import {
  COUNTED_BY_A, DENIABLE, OUTCOME_OF, OUTCOMES_FOR, defaultOutcome, nounClassOf, type NounClass, type Outcome,
} from './lexicon.js';

export interface Count {
  /** The count as written ("at least eight"), and as read. */
  value: ClaimValue;
  /** What was counted, as written ("Syrian servicemen"), and its head noun in the plural ("servicemen"). */
  counted: string;
  noun: string;
  nounClass: NounClass | null;
  outcome: Outcome | null;
  /** The suggested facet: "rockets fired", "damage". */
  facet: string;
  statement: string;
  cue: string;
  /** Where the count is in the text, to highlight on review. */
  start: number;
  end: number;
  /** The word that starts the count, to tell which quoted stretch it is in. */
  first: Word;
}

const NOT_A_CLAIM_ENTITIES = new Set(['DATE', 'TIME', 'DURATION', 'ORDINAL', 'PERCENT', 'MONEY', 'URL', 'EMAIL', 'HASHTAG', 'MENTION', 'EMOTICON', 'EMOJI']);
const UNITS = new Set([
  'hour', 'hours', 'minute', 'minutes', 'second', 'seconds', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year',
  'years', 'decade', 'decades', 'km', 'kilometres', 'kilometers', 'kilometre', 'kilometer', 'mile', 'miles', 'metre',
  'metres', 'meter', 'meters', 'm', 'ft', 'feet', 'percent', '%', 'per', 'a.m.', 'p.m.', 'am', 'pm', "o'clock", 'gmt',
  'utc', 'times', 'kg', 'kilograms', 'tons', 'tonnes', 'dollars', 'euros', 'pounds', 'kilometre-long', 'mm', 'cm', 'nights',
  'night', 'am.', 'pm.', 'degrees', 'kph', 'mph', 'knots', 'nautical',
]);
const NOT_A_COUNT_BEFORE = new Set([
  'aged', 'age', 'ages', 'no.', 'number', 'route', 'highway', 'resolution', 'article', 'flight', 'page', 'room', 'unit',
  'line', 'road', 'since', 'until', 'by', 'in', 'on', 'at', 'from', '$', '€', '£', 'us$', 'paragraph', 'section', 'chapter',
  'version', 'episode', 'channel', 'block', 'building', 'gate', 'sector', 'zone', 'kilometre', 'km', 'mile', 'phase', 'year', 'years',
]);
/** Words that multiply the number before them. */
const SCALES = new Set(['dozen', 'hundred', 'thousand', 'million', 'billion']);
const QUANTIFIERS = new Set(['several', 'dozens', 'dozen', 'scores', 'hundreds', 'thousands', 'tens', 'numerous']);
const MODIFIERS: string[][] = [
  ['at', 'least'], ['at', 'most'], ['more', 'than'], ['fewer', 'than'], ['less', 'than'], ['up', 'to'], ['as', 'many', 'as'],
  ['no', 'fewer', 'than'], ['no', 'more', 'than'], ['not', 'more', 'than'], ['about'], ['around'], ['nearly'], ['almost'],
  ['approximately'], ['roughly'], ['some'], ['over'], ['an', 'estimated'], ['between'], ['just', 'over'], ['well', 'over'],
  ['close', 'to'], ['upwards', 'of'], ['more', 'than', 'a'], ['at', 'least', 'a'],
];
const POSSESSIVES = new Set(['the', 'our', 'their', 'its', 'his', 'her', 'these', 'those', 'them', 'whom', 'which', 'us', 'your']);
const NEGATIONS = new Set(['not', "n't", 'no', 'without', 'never', 'denied', 'denies', 'deny', 'rejected']);
const PLURALS: Record<string, string> = {
  person: 'people', child: 'children', woman: 'women', man: 'men', serviceman: 'servicemen', policeman: 'policemen',
  gunman: 'gunmen', fisherman: 'fishermen', aircraft: 'aircraft', personnel: 'personnel', police: 'police',
  crew: 'crew members', family: 'families', baby: 'babies', facility: 'facilities', bus: 'buses', church: 'churches',
  body: 'bodies', casualty: 'casualties', militia: 'militias', uav: 'UAVs', troops: 'troops', people: 'people',
};
const PEOPLE = new Set<NounClass>(['people', 'civilians', 'personnel']);
const SMALL_NUMBERS = ['none', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/** Every count the sentence claims, leaving out the words in `skip` (the attribution). */
export function findCounts(sentence: Sentence, skip: Set<number>): Count[] {
  const words = sentence.words;
  const counts: Count[] = [];
  const used = new Set<number>();
  for (let i = 0; i < words.length; i++) {
    if (skip.has(i) || used.has(i)) continue;
    const found = negationAt(words, i, skip) ?? countAt(words, i, skip);
    if (!found) continue;
    for (const count of found.counts) counts.push(count);
    for (let k = i; k < found.next; k++) used.add(k);
  }
  return counts;
}

interface Found {
  counts: Count[];
  /** The first word after what was read. */
  next: number;
}

/**
 * Words that say how many without a number, read as text by the value reader but proposed as
 * written: "all but one", "most of", "half of", "another". [the phrase's end] when one starts at i.
 */
function wordQuantifierEnd(words: Word[], i: number): number | null {
  const [w, next, after] = [words[i]!.lower, words[i + 1]?.lower, words[i + 2]];
  if (w === 'all' && next === 'but' && after && (after.pos === 'NUM' || after.entity === 'CARDINAL')) return i + 3;
  if ((w === 'most' || w === 'half') && next === 'of') return i + 1;
  if (w === 'half' && words[i + 1] && nounClassOf(words[i + 1]!.lower)) return i + 1;
  if (w === 'another' && words[i + 1] && (words[i + 1]!.pos === 'NOUN' || words[i + 1]!.pos === 'ADJ' || words[i + 1]!.pos === 'PROPN')) return i + 1;
  return null;
}

/** Where the modifiers before the number at i begin: "at least", "more than", "some". */
function modifiersBefore(words: Word[], i: number, skip: Set<number>, floor = 0): number {
  let start = i;
  for (const phrase of MODIFIERS) {
    const from = i - phrase.length;
    if (from < floor || skip.has(from)) continue;
    if (phrase.every((word, k) => words[from + k]!.lower === word) && from < start) start = from;
  }
  return start;
}

/** "from at least 30 dead to more than 60": the end of the second count, when the count at start opens such a range. */
function rangeToEnd(words: Word[], start: number, end: number, skip: Set<number>): number | null {
  if (words[start - 1]?.lower !== 'from') return null;
  for (let k = end; k < Math.min(words.length, end + 4); k++) {
    if (words[k]!.lower !== 'to') continue;
    for (let n = k + 1; n < Math.min(words.length, k + 5); n++) {
      const w = words[n]!;
      if (w.pos !== 'NUM' && w.entity !== 'CARDINAL') continue;
      // Only modifiers between "to" and the number ("to more than 60").
      return countableNumber(words, n) && (n === k + 1 || modifiersBefore(words, n, skip, k + 1) === k + 1) ? n + 1 : null;
    }
    return null;
  }
  return null;
}

function countAt(words: Word[], i: number, skip: Set<number>): Found | null {
  const w = words[i]!;
  const isNumber = w.pos === 'NUM' || w.entity === 'CARDINAL';
  const isQuantifier = QUANTIFIERS.has(w.lower);
  // "a dozen", "a hundred": a number, not the article.
  const isA = (w.lower === 'a' || w.lower === 'an') && w.pos === 'DET' && !SCALES.has(words[i + 1]?.lower ?? '');
  const isNumberWord = (w.lower === 'a' || w.lower === 'an') && !isA;
  const wordQuantifier = isNumber || isQuantifier || isA || isNumberWord ? null : wordQuantifierEnd(words, i);
  if (!isNumber && !isQuantifier && !isA && !isNumberWord && wordQuantifier === null) return null;
  if (isNumber && !countableNumber(words, i)) return null;
  const start = wordQuantifier === null ? modifiersBefore(words, i, skip) : i;
  if (isA && start !== i) return null;
  // A range: "two or three", "between 30 and 40", "30 to 40", "30-40"; or kept whole, "from at least 30 dead to more than 60".
  let end = wordQuantifier ?? i + 1;
  // "two dozen", "a hundred", "3 million": the scale is part of the number.
  while (wordQuantifier === null && SCALES.has(words[end]?.lower ?? '') && end < i + 3) end++;
  const joiner = words[end]?.lower;
  if ((joiner === 'or' || joiner === 'to' || joiner === 'and' || joiner === '-' || joiner === '–') && words[end + 1] && (words[end + 1]!.pos === 'NUM') && countableNumber(words, end + 1)) {
    if (joiner !== 'and' || words[start]!.lower === 'between') end += 2;
  }
  const rangeEnd = rangeToEnd(words, start, end, skip);
  const phraseEnd = rangeEnd ?? end;
  const valueStart = rangeEnd === null ? start : start - 1;
  const valueText = textOf(words.slice(valueStart, phraseEnd));
  const value = parseValue(valueText);
  // A number the value reader cannot read as a count is not proposed; words that say how many are, as written.
  if (!value || (value.low === null && wordQuantifier === null && rangeEnd === null)) return null;

  const partitive = words[end]?.lower === 'of';
  const total = isPartitiveTotal(words, start);
  const nounStart = partitive ? skipPossessives(words, end + 1) : end;
  const counted = countedNoun(words, nounStart);
  let noun = counted?.noun ?? null;
  let nounClass = counted ? nounClassOf(counted.noun) ?? null : null;
  let nounWords = counted?.words ?? [];
  // "30 dead", "60 wounded": the word says what happened; who it happened to is said before, or people.
  let saidByNoun = counted ? OUTCOME_OF.get(counted.noun) : undefined;
  if (counted && saidByNoun) {
    noun = lastPersonNoun(words, start) ?? 'people';
    nounClass = nounClassOf(noun) ?? 'people';
    nounWords = [];
  } else if (!counted && !isA && !(words[end]?.pos === 'NOUN' && !OUTCOME_OF.has(words[end]!.lower))) {
    // "at least 30 people were killed and more than 60 wounded", "killing 27 civilians and wounding more than 60",
    // "seven died", "twelve were killed": the noun is the one counted before, or people. Not when a noun
    // Claimgrid does not know follows: "25 suspects" counts suspects, not the police who arrested them.
    let next = end;
    while (['were', 'was', 'had', 'have', 'has', 'been', 'being', 'are', 'is', 'reportedly', 'also'].includes(words[next]?.lower ?? '') && next < end + 3) next++;
    const after = OUTCOME_OF.get(words[next]?.lower ?? '');
    const outcome = after ?? OUTCOME_OF.get(words[start - 1]?.lower ?? '');
    const toll = words.slice(Math.max(0, start - 4), start).some((x) => x.lower === 'toll');
    if ((outcome && OUTCOMES_FOR.people.includes(outcome)) || toll) {
      // "30 dead": the word after the count says what happened.
      if (after && OUTCOMES_FOR.people.includes(after)) saidByNoun = after;
      const earlier = lastPersonNoun(words, start);
      noun = earlier ?? 'people';
      nounClass = nounClassOf(noun) ?? 'people';
      nounWords = [];
    }
  }
  if (!noun || !nounClass) return null;
  if (isA && (!COUNTED_BY_A.has(nounClass) || isPlural(noun))) return null;
  const after = Math.max(counted ? counted.end : end, phraseEnd);

  // "two women and two children": counts of one kind joined by "and" are one claim, their sum.
  let sum: { value: number; parts: string; end: number } | null = null;
  if (words[after]?.lower === 'and' && !isA && value.low !== null) {
    const next = countAt(words, after + 1, skip);
    const nextCount = next?.counts[0];
    if (nextCount && nextCount.value.low !== null && nextCount.value.low === nextCount.value.high && value.low === value.high
      && sameKind(nounClass, nextCount.nounClass) && nextCount.outcome !== null) {
      sum = { value: value.low + nextCount.value.low, parts: `${valueText} ${textOf(nounWords)} and ${nextCount.value.text} ${nextCount.counted}`, end: next.next };
    }
  }

  const outcome = total
    ? defaultOutcome(noun, nounClass) ?? (nounClass === 'places' || nounClass === 'vehicles' ? 'targeted' : null)
    : saidByNoun ?? nearestOutcome(words, start, after, nounClass, skip, isA && !PEOPLE.has(nounClass)) ?? (isA ? null : defaultOutcome(noun, nounClass)) ?? null;
  if (!outcome) return null;
  const plural = pluralOf(noun);
  const readValue: ClaimValue = sum ? { text: numberWord(sum.value), low: sum.value, high: sum.value } : value;
  const facetNoun = sum ? kindNoun(nounClass) : plural;
  const countedText = sum ? facetNoun : textOf(nounWords) || plural;
  const subject = sum
    ? `${facetNoun} (${sum.parts})`
    : partitive && counted
      ? `of ${textOf(words.slice(end + 1, counted.end))}`
      : /^(dozens|hundreds|thousands|scores|tens)$/i.test(valueText) ? `of ${countedText}` : countedText;
  const singular = isOne(readValue) || w.lower === 'another';
  const predicate = nounClass === 'weapons' && outcome === 'hit' ? 'hit' : `${singular ? 'was' : 'were'} ${outcome}`;
  const statement = sentenceCase(`${readValue.text} ${subject} ${predicate}.`);
  const cue = sum
    ? `count "${sum.parts}", added up; "${outcome}" for ${facetNoun}`
    : `count "${valueText}" of ${plural}${total ? ` (the whole of which a part is counted: "${outcome}" is usual for ${plural})` : saidByNoun ? `; "${outcome}" from the word after the count` : outcomeCue(words, start, after, outcome, nounClass, skip, plural)}`;
  const last = sum ? sum.end : after;
  return {
    counts: [{
      value: readValue,
      counted: countedText,
      noun: plural,
      nounClass,
      outcome,
      facet: `${facetNoun} ${outcome}`,
      statement,
      cue,
      start: words[valueStart]!.start,
      end: words[Math.max(start, last - 1)]!.end,
      first: words[start]!,
    }],
    // After "two of the three drones", the inner count is read on its own.
    next: partitive && !sum ? end : last,
  };
}

/** "did not cause any damage or casualties", "there was no military response", "no one was hurt": value "none" on each. */
function negationAt(words: Word[], i: number, skip: Set<number>): Found | null {
  const w = words[i]!;
  let listStart = -1;
  let existence = false;
  if (w.lower === 'no' && w.pos === 'DET' && words[i + 1]?.lower !== 'one') {
    listStart = i + 1;
    const before = words.slice(Math.max(0, i - 3), i).map((x) => x.lower);
    existence = before.includes('there');
  } else if (w.lower === 'any' && words.slice(Math.max(0, i - 4), i).some((x) => NEGATIONS.has(x.lower))) {
    // "did not cause any damage", "denied that any of its fighters had been killed"
    listStart = words[i + 1]?.lower === 'of' ? skipPossessives(words, i + 2) : i + 1;
  } else if (w.lower === 'none' && words[i + 1]?.lower === 'of') {
    // "None of the U.S. Navy ships were damaged"
    const start = skipPossessives(words, i + 2);
    const counted = countedNoun(words, start);
    const nounClass = counted ? nounClassOf(counted.noun) : undefined;
    if (!counted || !nounClass) return null;
    const outcome = nearestOutcome(words, i, counted.end, nounClass, skip) ?? defaultOutcome(counted.noun, nounClass);
    if (!outcome) return null;
    return { counts: [noneCount(words, i, counted.end, pluralOf(counted.noun), nounClass, outcome, `"none of" with "${outcome}"`)], next: counted.end };
  } else if ((w.lower === 'nobody' || (w.lower === 'no' && words[i + 1]?.lower === 'one'))) {
    const after = w.lower === 'nobody' ? i + 1 : i + 2;
    const outcome = nearestOutcome(words, i, after, 'people', skip);
    if (!outcome) return null;
    return { counts: [noneCount(words, i, after, 'people', 'people', outcome, `"${textOf(words.slice(i, after))}" with "${outcome}"`)], next: after };
  }
  if (listStart < 0) return null;
  const counts: Count[] = [];
  let k = listStart;
  for (;;) {
    const counted = countedNoun(words, k, true);
    if (!counted) break;
    const nounClass = nounClassOf(counted.noun);
    const denial = `"${textOf(words.slice(i, counted.end))}"`;
    if (DENIABLE.has(counted.noun)) {
      counts.push(noneCount(words, i, counted.end, counted.noun, null, null, `denial ${denial}`));
    } else if (nounClass) {
      const outcome = nearestOutcome(words, i, counted.end, nounClass, skip) ?? defaultOutcome(counted.noun, nounClass);
      if (outcome) counts.push(noneCount(words, i, counted.end, pluralOf(counted.noun), nounClass, outcome, `denial ${denial} with "${outcome}"`));
    } else if (existence) {
      counts.push(noneCount(words, i, counted.end, textOf(counted.words).toLowerCase(), null, null, `denial ${denial} ("there is no …")`));
    }
    const joiner = words[counted.end]?.lower;
    if (joiner !== 'or' && joiner !== 'and' && joiner !== ',' && joiner !== 'nor') { k = counted.end; break; }
    k = counted.end + 1;
  }
  return counts.length > 0 ? { counts, next: k } : null;
}

function noneCount(words: Word[], from: number, to: number, noun: string, nounClass: NounClass | null, outcome: Outcome | null, cue: string): Count {
  const facet = outcome ? `${noun} ${outcome}` : noun;
  return {
    value: { text: 'none', low: 0, high: 0 },
    counted: noun,
    noun,
    nounClass,
    outcome,
    facet,
    statement: outcome ? sentenceCase(`No ${noun} ${isPlural(noun) ? 'were' : 'was'} ${outcome}.`) : sentenceCase(`No ${noun}.`),
    cue,
    start: words[from]!.start,
    end: words[to - 1]!.end,
    first: words[from]!,
  };
}

/** A number that counts: not a date, a time, a duration, an age, a distance, an ordinal or a year. */
function countableNumber(words: Word[], i: number): boolean {
  const w = words[i]!;
  if (w.entity && NOT_A_CLAIM_ENTITIES.has(w.entity)) return false;
  if (/[:/]/.test(w.text) || /^\d+(st|nd|rd|th)$/i.test(w.text)) return false;
  if (/^(1[89]|20)\d\d$/.test(w.text)) return false;
  const next = words[i + 1]?.lower ?? '';
  const afterNext = words[i + 2]?.lower ?? '';
  if (UNITS.has(next) || (next === '-' && (UNITS.has(afterNext) || afterNext.startsWith('year')))) return false;
  if (/^(year|month|day|week|hour|minute)s?-old$/.test(next) || next.startsWith('-year')) return false;
  const previous = words[i - 1]?.lower ?? '';
  // "in 2023" is refused above; "on 24" and "at 3" are times and dates, but "in three villages" is a count.
  const toll = words.slice(Math.max(0, i - 4), i).some((x) => x.lower === 'toll');
  if (NOT_A_COUNT_BEFORE.has(previous) && !toll && !(['in', 'on', 'at', 'by', 'from', 'since', 'until'].includes(previous) && /^[a-z]/.test(w.lower) && !/^\d/.test(w.text))) {
    if (!['in', 'on', 'at', 'by', 'from'].includes(previous) || UNITS.has(next) || /^\d/.test(w.text) && !nounClassOf(next)) return false;
  }
  // A number in a name ("Resolution 2254", "Brigade 93", "Route 7").
  if (/^\d/.test(w.text) && words[i - 1]?.pos === 'PROPN' && !nounClassOf(next)) return false;
  return true;
}

/** The partitive's whole: "three" in "two of the three attacking drones". */
function isPartitiveTotal(words: Word[], start: number): boolean {
  const det = words[start - 1]?.lower;
  const of = words[start - 2]?.lower;
  const part = words[start - 3];
  return !!det && POSSESSIVES.has(det) && of === 'of' && !!part && (part.pos === 'NUM' || part.entity === 'CARDINAL');
}

function skipPossessives(words: Word[], i: number): number {
  while (i < words.length && POSSESSIVES.has(words[i]!.lower)) i++;
  // "two of the three attacking drones": the inner count is read on its own.
  if (words[i] && (words[i]!.pos === 'NUM' || words[i]!.entity === 'CARDINAL')) i++;
  return i;
}

/** The noun a count counts: the head of the words after it ("US soldier", "residential house", "attacking drones"). */
function countedNoun(words: Word[], start: number, anyNoun = false): { noun: string; words: Word[]; end: number } | null {
  let i = start;
  let head: { noun: string; at: number } | null = null;
  let lastNoun: { noun: string; at: number } | null = null;
  while (i < words.length && i < start + 6) {
    const w = words[i]!;
    const modifier = (w.pos === 'ADV' && /ly$/.test(w.lower) && (words[i + 1]?.pos === 'ADJ' || words[i + 1]?.pos === 'VERB')) || w.pos === 'ADJ' || w.pos === 'PROPN' || w.pos === 'NOUN' || (w.pos === 'VERB' && /(ing|ed)$/.test(w.lower) && i < words.length - 1 && (words[i + 1]!.pos === 'NOUN' || words[i + 1]!.pos === 'PROPN')) || inCompound(words, i);
    if (!modifier) break;
    const compound = compoundAt(words, i);
    if (compound && nounClassOf(compound.word)) {
      head = { noun: compound.word, at: compound.end - 1 };
      i = compound.end;
      if (words[i]?.pos !== 'NOUN') break;
      continue;
    }
    if ((w.pos === 'NOUN' || w.pos === 'PROPN') && nounClassOf(w.lower)) head = { noun: w.lower, at: i };
    if (w.pos === 'NOUN' || (anyNoun && (w.pos === 'PROPN' || w.pos === 'ADJ') && DENIABLE.has(w.lower))) lastNoun = { noun: w.lower, at: i };
    i++;
    // Stop at the first counted noun followed by something that is not a noun ("bases belonging to …").
    if (head && head.at === i - 1 && words[i]?.pos !== 'NOUN') break;
  }
  const chosen = head ?? (anyNoun ? lastNoun : null);
  if (!chosen) return null;
  return { noun: chosen.noun, words: words.slice(start, chosen.at + 1), end: chosen.at + 1 };
}

/** A hyphenated word starting at i ("passers-by"), joined up. */
function compoundAt(words: Word[], i: number): { word: string; end: number } | null {
  let end = i + 1;
  while (words[end]?.text === '-' && inCompound(words, end) && words[end + 1]) end += 2;
  return end > i + 1 ? { word: words.slice(i, end).map((w) => w.lower).join(''), end } : null;
}

/** Part of a hyphenated word ("62-year-old", "Athens-based"). */
function inCompound(words: Word[], i: number): boolean {
  const touches = (a: Word | undefined, b: Word | undefined) => !!a && !!b && a.end === b.start;
  const w = words[i]!;
  if (w.text === '-') return touches(words[i - 1], w) && touches(w, words[i + 1]);
  return (words[i + 1]?.text === '-' && touches(w, words[i + 1])) || (words[i - 1]?.text === '-' && touches(words[i - 1], w));
}

/** The outcome word nearest the count, among those that make a claim about its kind of thing. */
function nearestOutcome(words: Word[], start: number, end: number, kind: NounClass, skip: Set<number>, verbsOnly = false): Outcome | null {
  const allowed = OUTCOMES_FOR[kind];
  let best: { outcome: Outcome; distance: number } | null = null;
  const from = Math.max(0, start - 8);
  const to = Math.min(words.length, end + 8);
  for (let k = from; k < to; k++) {
    if (k >= start && k < end) continue;
    if (skip.has(k)) continue;
    const two = k + 1 < words.length ? `${words[k]!.lower} ${words[k + 1]!.lower}` : '';
    const outcome = OUTCOME_OF.get(two) ?? OUTCOME_OF.get(words[k]!.lower);
    if (!outcome || !allowed.includes(outcome)) continue;
    if (verbsOnly && words[k]!.pos !== 'VERB') continue;
    // Stop at clause breaks between the count and the word.
    if (crossesClause(words, k < start ? k : end, k < start ? start : k)) continue;
    const distance = k < start ? start - k : k - end + 1;
    if (!best || distance < best.distance) best = { outcome, distance };
  }
  return best?.outcome ?? null;
}

function crossesClause(words: Word[], from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const w = words[k]!;
    if (w.text === ';' || w.lower === 'but' || w.lower === 'while' || w.lower === 'whereas' || w.text === ':') return true;
  }
  return false;
}

function outcomeCue(words: Word[], start: number, end: number, outcome: Outcome, kind: NounClass, skip: Set<number>, plural: string): string {
  return nearestOutcome(words, start, end, kind, skip) === outcome ? `; "${outcome}" from the words near it` : `; "${outcome}" is usual for ${plural}, no verb near it`;
}

function lastPersonNoun(words: Word[], before: number): string | null {
  for (let k = before - 1; k >= 0; k--) {
    const kind = OUTCOME_OF.has(words[k]!.lower) ? undefined : nounClassOf(words[k]!.lower);
    if (kind === 'people' || kind === 'civilians' || kind === 'personnel') return words[k]!.lower;
  }
  return null;
}

/** Counts that add up to one claim: people of one kind ("two women and two children"); never weapons or things. */
function sameKind(a: NounClass | null, b: NounClass | null): boolean {
  return (a === 'civilians' || a === 'people') && (b === 'civilians' || b === 'people');
}

function kindNoun(kind: NounClass): string {
  return kind === 'civilians' ? 'civilians' : kind === 'personnel' ? 'personnel' : kind === 'people' ? 'people' : kind;
}

export function pluralOf(noun: string): string {
  const lower = noun.toLowerCase();
  if (PLURALS[lower]) return PLURALS[lower];
  if (isPlural(lower)) return lower;
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function isPlural(noun: string): boolean {
  const lower = noun.toLowerCase();
  if (Object.values(PLURALS).includes(lower)) return true;
  if (PLURALS[lower]) return false;
  return /[^s]s$/.test(lower) || /(ies|es)$/.test(lower);
}

function isOne(value: ClaimValue): boolean {
  return value.low === 1 && value.high === 1;
}

function numberWord(n: number): string {
  return SMALL_NUMBERS[n] ?? String(n);
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
