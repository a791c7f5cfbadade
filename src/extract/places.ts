/**
 * Text values a sentence claims beside its counts: where an attack struck ("ten rockets were fired
 * at the Green Village compound" → location: Green Village compound) and who carried it out ("the
 * resistance groups targeted three bases" → perpetrator: resistance groups). Only a named place of
 * a kind an attack strikes (a compound, a base, an oil field), and only the subject of an attack
 * verb that names armed people: anything looser proposes every "in Syria" of a text.
 */
import type { Sentence, Word } from './reading.js';
import { textOf } from './speakers.js';

export interface TextFinding {
  facet: 'location' | 'perpetrator';
  value: string;
  statement: string;
  cue: string;
  start: number;
  end: number;
  first: Word;
}

const ATTACK_WORDS = new Set([
  'targeted', 'attacked', 'hit', 'struck', 'fired', 'pounded', 'shelled', 'bombed', 'bombarded', 'raided', 'stormed',
  'launched', 'attack', 'attacks', 'strike', 'strikes', 'airstrike', 'airstrikes', 'shelling', 'bombing', 'raid', 'landed',
]);

const ATTACK_VERBS = new Set(['targeted', 'attacked', 'hit', 'struck', 'fired', 'pounded', 'shelled', 'bombed', 'bombarded', 'raided', 'stormed', 'launched']);

/** The last word of a place an attack strikes. */
const PLACE_NOUNS = new Set([
  'compound', 'base', 'field', 'facility', 'facilities', 'airport', 'airbase', 'port', 'village', 'town', 'city', 'camp',
  'market', 'hospital', 'school', 'checkpoint', 'neighbourhood', 'neighborhood', 'district', 'quarter', 'refinery',
  'plant', 'station', 'depot', 'outpost', 'bridge', 'mosque', 'church', 'square', 'highway', 'road', 'garrison', 'barracks',
]);

/** Heads of a subject that names who attacks. */
const ACTOR_NOUNS = new Set([
  'groups', 'group', 'forces', 'force', 'militants', 'fighters', 'army', 'military', 'rebels', 'gunmen', 'troops',
  'militia', 'militias', 'insurgents', 'jets', 'warplanes', 'aircraft', 'navy', 'drones', 'resistance', 'movement',
]);

const PREPOSITIONS = new Set(['at', 'in', 'on', 'near', 'into', 'against']);

export function findPlacesAndActors(sentence: Sentence, skip: Set<number>): TextFinding[] {
  const words = sentence.words;
  if (!words.some((w, i) => !skip.has(i) && ATTACK_WORDS.has(w.lower))) return [];
  return [...place(words, skip), ...actor(words, skip)];
}

/** The first named place after "at", "in", "on" … in a sentence about an attack. */
function place(words: Word[], skip: Set<number>): TextFinding[] {
  for (let i = 0; i < words.length - 1; i++) {
    if (skip.has(i) || !PREPOSITIONS.has(words[i]!.lower)) continue;
    let start = i + 1;
    if (words[start]?.lower === 'the') start++;
    let end = start;
    while (end < words.length && end < start + 6 && (words[end]!.pos === 'PROPN' || words[end]!.pos === 'NOUN' || words[end]!.pos === 'ADJ' || joinedHyphen(words, end))) end++;
    const phrase = words.slice(start, end);
    const last = phrase.at(-1);
    if (!last || !PLACE_NOUNS.has(last.lower) || !phrase.some((w) => w.pos === 'PROPN' || /^\p{Lu}/u.test(w.text))) continue;
    const value = textOf(phrase);
    return [{ facet: 'location', value, statement: `The attack struck the ${value}.`, cue: `place "${value}" after "${words[i]!.text}", in a sentence about an attack`, start: phrase[0]!.start, end: last.end, first: phrase[0]! }];
  }
  return [];
}

/** The subject of an attack verb in the active voice, when it names armed people ("the resistance groups targeted …"). */
function actor(words: Word[], skip: Set<number>): TextFinding[] {
  for (let v = 1; v < words.length; v++) {
    if (skip.has(v) || !ATTACK_VERBS.has(words[v]!.lower) || words[v]!.pos !== 'VERB') continue;
    let end = v;
    while (end > 0 && words[end - 1]!.pos === 'ADV') end--;
    if (['was', 'were', 'been', 'be', 'is', 'are', 'being', 'had', 'has', 'have'].includes(words[end - 1]?.lower ?? '')) continue;
    let start = end;
    while (start > 0 && (words[start - 1]!.pos === 'PROPN' || words[start - 1]!.pos === 'NOUN' || words[start - 1]!.pos === 'ADJ' || joinedHyphen(words, start - 1))) start--;
    const phrase = words.slice(start, end);
    const head = phrase.at(-1);
    // "the resistance groups", "Houthi forces": a bare "the group" names no one.
    if (!head || phrase.length < 2 || !ACTOR_NOUNS.has(head.lower) || phrase.some((_, k) => skip.has(start + k))) continue;
    const value = textOf(phrase);
    return [{ facet: 'perpetrator', value, statement: `The ${value} carried out the attack.`, cue: `subject "${value}" of "${words[v]!.text}"`, start: phrase[0]!.start, end: head.end, first: phrase[0]! }];
  }
  return [];
}

function joinedHyphen(words: Word[], i: number): boolean {
  const w = words[i]!;
  if (w.text === '-') return words[i - 1]?.end === w.start && words[i + 1]?.start === w.end;
  return words[i + 1]?.text === '-' && w.end === words[i + 1]!.start;
}
