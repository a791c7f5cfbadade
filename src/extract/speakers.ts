/**
 * Who speaks in a sentence, and through whom: a sieve of rules, most certain first (Muzny et al.,
 * "A Two-stage Sieve Approach for Quote Attribution", 2017; see ../shared/notes/extraction.md). Each
 * rule returns the words naming the speaker, the outlet if one is named, and the cue that decided it.
 */
import type { Sentence, Word } from './reading.js';
import { KNOWN_OUTLETS, MEDIA_WORDS, REPORTING_VERBS, SPEAKER_NOUNS, TITLES } from './lexicon.js';

export interface Mention {
  /** The words naming the speaker, as written. */
  words: Word[];
  /** "X's spokesman, Col. Y": the name in apposition, kept apart from the role. */
  appositive: Word[] | null;
}

export interface Attribution {
  speaker: Mention;
  /** The words naming the outlet the speaker spoke to or through, if the sentence names one. */
  via: Word[] | null;
  /** Which rule found it, for the review page: `"told" with subject "a US official"`. */
  cue: string;
  /** The span of the reporting words, to highlight on review. */
  cueStart: number;
  cueEnd: number;
  /** Indexes of the sentence's words that belong to the attribution, so they are not read as claims. */
  words: Set<number>;
  /** The speaker denies what follows ("X denied that three advisers were killed"): the count said is not theirs. */
  denial: boolean;
  /** Where the reporting verb is: what follows it is what was said (or denied). */
  verbAt: number;
}

const PRONOUNS = new Set(['he', 'she', 'they', 'it', 'we']);
const SKIPPED_BEFORE_VERB = new Set(['also', 'later', 'further', 'previously', 'earlier', 'then', 'separately', 'again', 'has', 'have', 'had', 'will', 'would', 'had', 'subsequently', 'initially', 'originally', 'first', 'last', 'publicly', 'repeatedly', 'officially']);
const BE = new Set(['is', 'was', 'were', 'be', 'been', 'being', 'are', "'s", '’s']);
const JOINING = new Set(['of', 'for', "'s", '’s', '-', '.', '&', 'al', 'bin', 'ibn', 'de', 'von', 'van', 'du']);

/** The sieve, in order; the first rule that finds a speaker decides. */
export function findAttribution(sentence: Sentence): Attribution | null {
  const words = sentence.words;
  return quotedBy(words) ?? accordingTo(words) ?? reportingVerb(words);
}

/** "X was quoted by Y as saying": X speaks, through Y. */
function quotedBy(words: Word[]): Attribution | null {
  for (let i = 1; i < words.length - 1; i++) {
    if (words[i]!.lower !== 'quoted' || words[i + 1]!.lower !== 'by' || !BE.has(words[i - 1]!.lower)) continue;
    if (words[i]!.quote !== null) continue;
    const subject = subjectBefore(words, i - 2);
    const [viaEnd] = nounPhraseAfter(words, i + 2);
    const via = words.slice(i + 2, viaEnd);
    if (!subject || via.length === 0) continue;
    const subjectStart = Math.min(...subject.words.map((w) => words.indexOf(w)));
    return attribution(subject, via, `"was quoted by … as saying"`, words, i - 1, i + 1, subjectStart, viaEnd);
  }
  return null;
}

/** "according to X", anywhere in the sentence. */
function accordingTo(words: Word[]): Attribution | null {
  for (let i = 0; i < words.length - 2; i++) {
    if (words[i]!.lower !== 'according' || words[i + 1]!.lower !== 'to' || words[i]!.quote !== null) continue;
    const [end] = nounPhraseAfter(words, i + 2);
    const subject = words.slice(i + 2, end);
    if (!plausibleSpeaker(subject)) continue;
    const via = viaIn(words, end);
    return attribution({ words: subject, appositive: null }, via, '"according to"', words, i, i + 1, i, end);
  }
  return null;
}

/** A reporting verb with its subject: before it ("X said"), or after it ("…, said X"). */
function reportingVerb(words: Word[]): Attribution | null {
  for (let v = 0; v < words.length; v++) {
    const verb = words[v]!;
    if (!REPORTING_VERBS.has(verb.lower) || verb.quote !== null) continue;
    if (verb.pos !== 'VERB' && verb.pos !== 'AUX') continue;
    if (v > 0 && isNameWord(words, v)) continue; // "Gen. Omar Said": a name, not a verb
    let before = v - 1;
    while (before >= 0 && SKIPPED_BEFORE_VERB.has(words[before]!.lower)) before--;
    if (before >= 0 && BE.has(words[before]!.lower)) continue; // "were reported": passive, nobody speaking
    const mention = subjectBefore(words, before) ?? (verb.lower === 'told' ? null : subjectAfter(words, v)) ?? subjectOfClause(words, before);
    if (!mention) continue;
    const toldWhom = verb.lower === 'told' ? nounPhraseAfter(words, v + 1)[0] : v + 1;
    const outlet = verb.lower === 'told' ? outletOrNull(words.slice(v + 1, toldWhom)) : null;
    const via = outlet ?? viaIn(words, 0);
    const first = Math.min(...mention.words.map((w) => words.indexOf(w)), v);
    const last = Math.max(...mention.words.map((w) => words.indexOf(w)), ...(mention.appositive ?? []).map((w) => words.indexOf(w)), toldWhom - 1, v);
    return attribution(mention, via, `"${verb.text}"`, words, v, v, first, last + 1);
  }
  return null;
}

function subjectBefore(words: Word[], end: number): Mention | null {
  if (end < 0) return null;
  // "X's spokesman, Col. Y, said": a name between commas, the role before it.
  if (words[end]!.text === ',') {
    const nameEnd = end;
    let nameStart = nameEnd;
    while (nameStart > 0 && (isNameWord(words, nameStart - 1) || JOINING.has(words[nameStart - 1]!.lower) || TITLES.has(words[nameStart - 1]!.lower))) nameStart--;
    if (nameStart < nameEnd && nameStart > 0 && words[nameStart - 1]!.text === ',') {
      const [roleStart] = nounPhraseBefore(words, nameStart - 1);
      const role = words.slice(roleStart, nameStart - 1);
      const name = words.slice(nameStart, nameEnd);
      if (role.length > 0 && plausibleSpeaker(role)) return { words: role, appositive: name };
    }
    const opening = leadingName(words, end);
    if (opening) return { words: opening, appositive: null };
    // "MSF, which supports the hospital, reported" and "The group, in a statement, claimed": the
    // phrase between commas is skipped, and the subject is the noun phrase before it.
    const comma = words.slice(0, end).map((w) => w.text).lastIndexOf(',');
    if (comma > 0) {
      const opener = words[comma + 1]!;
      if (['which', 'who', 'whose'].includes(opener.lower) || opener.pos === 'ADP' || (opener.pos === 'VERB' && /ing$/.test(opener.lower))) {
        const [start] = nounPhraseBefore(words, comma);
        const subject = words.slice(start, comma);
        if (plausibleSpeaker(subject)) return { words: subject, appositive: null };
      }
    }
    return null;
  }
  const [start] = nounPhraseBefore(words, end + 1);
  const subject = words.slice(start, end + 1);
  // "Nikos Petrakis, a spokesman for the operator, told …": the person named first speaks.
  if (start > 0 && words[start - 1]!.text === ',') {
    const opening = leadingName(words, start - 1);
    if (opening) return { words: opening, appositive: null };
  }
  return plausibleSpeaker(subject) ? { words: subject, appositive: null } : null;
}

/** "…,” said the ministry" and "…, said Ahmed, a resident": the subject follows a comma or a closing quote. */
function subjectAfter(words: Word[], v: number): Mention | null {
  const previous = words[v - 1];
  if (previous && !/^[,”"’»]$/.test(previous.text)) return null;
  const [end] = nounPhraseAfter(words, v + 1);
  const subject = words.slice(v + 1, end);
  return plausibleSpeaker(subject) ? { words: subject, appositive: null } : null;
}

/** "US President Joe Biden also retreated … and said": the subject of the clause the verb is joined to. */
function subjectOfClause(words: Word[], before: number): Mention | null {
  if (before < 0 || words[before]!.pos !== 'CCONJ') return null;
  let start = 0;
  // Past a leading phrase ("After the attacks ended, …").
  for (let i = 0; i < before; i++) if (words[i]!.text === ',' && i < before - 1) { start = i + 1; break; }
  for (const from of start === 0 ? [0] : [start, 0]) {
    const [end] = nounPhraseAfter(words, from);
    const subject = words.slice(from, end);
    if (plausibleSpeaker(subject) && end < before && (words[end]?.pos === 'VERB' || words[end]?.pos === 'ADV' || words[end]?.pos === 'AUX')) {
      return { words: subject, appositive: null };
    }
  }
  return null;
}

/** "told Al Jazeera", "speaking to Reuters", "in an interview with CNN", "quoted by ISNA", "on al-Masirah TV". */
function viaIn(words: Word[], from: number): Word[] | null {
  for (let i = from; i < words.length - 1; i++) {
    const lower = words[i]!.lower;
    const next = words[i + 1]!.lower;
    let at = -1;
    if ((lower === 'speaking' || lower === 'spoke' || lower === 'talking' || lower === 'remarks' || lower === 'comments') && (next === 'to' || next === 'with')) at = i + 2;
    else if (lower === 'interview' && (next === 'with' || next === 'to')) at = i + 2;
    else if (lower === 'quoted' && next === 'by') at = i + 2;
    else if (lower === 'told') at = i + 1;
    else if (lower === 'on' || lower === 'to') {
      const [end] = nounPhraseAfter(words, i + 1);
      const phrase = words.slice(i + 1, end);
      if (phrase.some((w) => MEDIA_WORDS.has(w.lower) && w.lower !== 'news') || isKnownOutlet(phrase)) return outletOrNull(phrase);
      continue;
    }
    if (at < 0 || words[i]!.quote !== null) continue;
    const [end] = nounPhraseAfter(words, at);
    const outlet = outletOrNull(words.slice(at, end));
    if (outlet) return outlet;
  }
  return null;
}

function outletOrNull(phrase: Word[]): Word[] | null {
  // "the state-run National News Agency": the outlet's name, without what describes it.
  let named = stripDeterminers(phrase);
  const firstName = named.findIndex((w) => w.pos === 'PROPN');
  if (firstName > 0 && !isKnownOutlet(named)) named = named.slice(firstName);
  if (named.length === 0) return null;
  if (isKnownOutlet(named)) return named;
  if (named.some((w) => w.pos === 'PROPN') && !named.every((w) => PRONOUNS.has(w.lower))) return named;
  return null;
}

function isKnownOutlet(phrase: Word[]): boolean {
  const text = stripDeterminers(phrase).map((w) => w.lower).join(' ').replace(/ - /g, '-').replace(/ ?- ?/g, '-');
  return KNOWN_OUTLETS.has(text) || KNOWN_OUTLETS.has(text.replace(/-/g, ' ')) || KNOWN_OUTLETS.has(text.replace(/ (tv|television|channel)$/, ''));
}

function stripDeterminers(phrase: Word[]): Word[] {
  let i = 0;
  while (i < phrase.length && (phrase[i]!.pos === 'DET' || phrase[i]!.lower === 'an')) i++;
  return phrase.slice(i);
}

/** A speaker is a pronoun, a name, or a description whose head noun can speak ("the ministry", "a US official"). */
function plausibleSpeaker(phrase: Word[]): boolean {
  if (phrase.length === 0) return false;
  if (phrase.length === 1 && PRONOUNS.has(phrase[0]!.lower)) return true;
  if (phrase.some((w) => w.pos === 'PRON' && !['its', 'their', 'his', 'her', 'our'].includes(w.lower))) return false;
  if (phrase.every((w) => w.pos === 'DET' || w.pos === 'PUNCT')) return false;
  return phrase.some((w) => w.pos === 'PROPN' || SPEAKER_NOUNS.has(w.lower) || isKnownOutlet([w]));
}

/** The noun phrase that ends just before `end`: [its first index]. */
function nounPhraseBefore(words: Word[], end: number): [number] {
  let i = end - 1;
  if (i >= 0 && PRONOUNS.has(words[i]!.lower)) return [i];
  while (i >= 0) {
    const w = words[i]!;
    if (w.quote !== null) break;
    // "U.S. Central Command (CENTCOM) said": a bracket inside the name.
    if (w.text === ')') {
      const open = words.lastIndexOf(words.slice(0, i).reverse().find((x) => x.text === '(')!, i);
      if (open > 0 && words.slice(open + 1, i).every((x) => x.pos === 'PROPN' || x.pos === 'NOUN')) { i = open - 1; continue; }
      break;
    }
    if (w.text === '-' && !joined(words, i)) break;
    if (w.pos === 'DET') { i--; break; }
    // "The Israel Defense Forces’ spokesman": a possessive mark after a plural.
    if ((w.text === '’' || w.text === "'") && words[i - 1] && words[i - 1]!.end === w.start) { i--; continue; }
    // A headline's "…, monitor says": the speaker noun may be tagged as a verb.
    const speakerNoun = i === end - 1 && SPEAKER_NOUNS.has(w.lower);
    if (speakerNoun || w.pos === 'PROPN' || w.pos === 'NOUN' || w.pos === 'ADJ' || w.pos === 'PART' || JOINING.has(w.lower) || (w.pos === 'PRON' && ['its', 'their', 'his', 'her'].includes(w.lower))) {
      if ((w.lower === 'of' || w.lower === 'for') && i === end - 1) break;
      i--;
      continue;
    }
    break;
  }
  return [i + 1];
}

/** The noun phrase that starts at `start`: [its end, exclusive]. */
export function nounPhraseAfter(words: Word[], start: number): [number] {
  let i = start;
  if (i < words.length && PRONOUNS.has(words[i]!.lower)) return [i + 1];
  while (i < words.length && (words[i]!.pos === 'DET' || words[i]!.lower === 'an')) i++;
  while (i < words.length) {
    const w = words[i]!;
    if (w.pos === 'PROPN' || w.pos === 'NOUN' || w.pos === 'ADJ' || w.pos === 'PART' || (w.pos === 'NUM' && words[i - 1]?.pos === 'PROPN')) { i++; continue; }
    // "for Human Rights", "of Defense", "al-Masirah": joining words inside a name, when a name goes on after them.
    if (w.text === '-' && !joined(words, i)) break;
    if (w.text === '-' || (words[i - 1]?.text === '-' && joined(words, i - 1))) { i++; continue; }
    if (JOINING.has(w.lower) && i > start && (words[i + 1]?.pos === 'PROPN' || (words[i + 1]?.pos === 'DET' && words[i + 2]?.pos === 'PROPN') || w.text === '-')) { i++; continue; }
    if (w.pos === 'DET' && words[i - 1] && JOINING.has(words[i - 1]!.lower)) { i++; continue; }
    break;
  }
  return [i];
}

/** A word of a name: a proper noun, or a capitalised word after one ("Omar Said"). */
function isNameWord(words: Word[], i: number): boolean {
  const w = words[i]!;
  if (w.pos === 'PROPN') return true;
  return i > 0 && /^\p{Lu}/u.test(w.text) && words[i - 1]!.pos === 'PROPN' && w.pos !== 'DET' && w.pos !== 'PUNCT';
}

/** A hyphen inside a word ("al-Masirah", "Houthi-run"), not a dash between words. */
function joined(words: Word[], i: number): boolean {
  const before = words[i - 1];
  const after = words[i + 1];
  return !!before && !!after && before.end === words[i]!.start && words[i]!.end === after.start;
}

/** "Mohammed Qassem, 41, a dockworker, said": the name the sentence opens with, when a comma follows it. */
function leadingName(words: Word[], before: number): Word[] | null {
  // After a quotation that opens the sentence: "“…,” Ali Sweid, a farmer, told Al Jazeera."
  let from = 0;
  while (from < before && (words[from]!.quote !== null || /^[“”"«»‘’,]$/.test(words[from]!.text))) from++;
  let k = from;
  while (k < before && (isNameWord(words, k) || (JOINING.has(words[k]!.lower) && joined(words, k)))) k++;
  const name = words.slice(from, k);
  // "Médecins Sans Frontières (MSF), …": past the bracket.
  if (words[k]?.text === '(') {
    const close = words.findIndex((w, i) => i > k && w.text === ')');
    if (close > 0) k = close + 1;
  }
  if (name.length === 0 || words[k]?.text !== ',' || k >= before) return null;
  // Between the name and the verb only an apposition ("41, a dockworker in Hodeidah,"): no clause
  // of its own, as in a dateline's "BEIRUT, Jan 5 (Reuters) - At least 12 people were killed, the ministry said".
  // A verb may stand in a relative clause ("a doctor who treated them") or a hyphenated word ("Athens-based").
  const between = words.slice(k + 1, before + 1);
  const relative = between.findIndex((w) => ['who', 'which', 'whose', 'that'].includes(w.lower));
  const clause = between.some((w, i) => (w.pos === 'AUX' || w.pos === 'VERB') && (relative === -1 || i < relative) && !(i > 0 && between[i - 1]!.text === '-' && between[i - 1]!.end === w.start));
  if (between.length > 16 || clause) return null;
  return name;
}

const DENYING = new Set(['denied', 'denies', 'deny', 'rejected', 'dismissed', 'refuted']);

function attribution(speaker: Mention, via: Word[] | null, cue: string, words: Word[], cueFrom: number, cueTo: number, from: number, to: number): Attribution {
  const taken = new Set<number>();
  for (let i = from; i < to; i++) taken.add(i);
  for (const w of via ?? []) taken.add(words.indexOf(w));
  const subject = textOf(speaker.words);
  return {
    speaker,
    via,
    cue: `${cue} with subject "${subject}"${via ? `, through "${textOf(via)}"` : ''}`,
    cueStart: words[cueFrom]!.start,
    cueEnd: words[cueTo]!.end,
    words: taken,
    denial: DENYING.has(words[cueFrom]!.lower),
    verbAt: cueFrom,
  };
}

/** The words as written, spaced as in the text. */
export function textOf(words: Word[]): string {
  let out = '';
  let last: Word | undefined;
  for (const w of words) {
    if (last) out += w.start > last.end ? ' ' : '';
    out += w.text;
    last = w;
  }
  return out;
}
