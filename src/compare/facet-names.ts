/**
 * Near-duplicate facets within one incident: "rockets fired", "rockets launched" and "number of
 * rockets" are usually one point of fact that different sources (or analysts) named differently,
 * and each spelling otherwise gets a row of its own with a third of the claims. This suggests which
 * to merge, so an analyst can do it with one click; it never merges anything itself, because a
 * false merge hides a contradiction, while a missed one leaves the analyst no worse off than without
 * suggestions. Every rule below leans
 * the same way: when unsure, suggest nothing.
 *
 * A facet name is read as a head noun, what happened to it (its predicates) and what narrows it
 * (its modifiers):
 *
 * - Words are runs of Unicode letters, digits and marks, lowercased; "U.S." is "us" and a
 *   possessive "'s" is dropped. A name with a word in a script other than Latin is left alone: the
 *   rules are English ones, and applied to Arabic or Persian word order they would pick the wrong
 *   head; such names still merge when identical after folding, which the caller already does.
 * - Quantity and filler words say how a fact is asked for, not which fact it is, so they go:
 *   "number of", "count of", "amount of", "how many"/"how much", "total", "overall", "the", "a",
 *   "an", "reported", "estimated", "reportedly", "allegedly", forms of "to be"/"to have", and
 *   "number", "amount", "toll", "tally", "count", "figure" on their own too ("number killed" is
 *   "killed"; "death toll" is the number of deaths).
 * - The name is cut at its first preposition ("of", "in", "at", "by", …): the head is in front of
 *   it, and everything after only narrows it ("location of the strike" is a location, not a
 *   strike; "rockets fired at Haifa" is rockets). "of" is a preposition here unless part of a
 *   quantity phrase above, which is why it is not simply dropped: dropping it would make "location
 *   of strike" a strike.
 * - Plurals are made singular by simple rules (see `singular`), so "rocket fired" is "rockets fired".
 * - Predicates say what happened to the noun: known participles and particles (killed, wounded,
 *   shot, hit, down, dead, …) wherever they stand ("wounded soldiers" is "soldiers wounded"), and
 *   any other word ending in -ed when it follows a noun ("homes demolished"). An unknown -ed word
 *   before every noun describes a kind instead ("guided missiles", "armed men", "United States"),
 *   so it is a modifier.
 * - Predicates that mean the same are one group: fire (fired, launched, used, shot), strike (hit,
 *   struck, targeted, attacked, shelled, bombed), intercept (intercepted, downed, down, "shot
 *   down"), kill (killed, dead, died, deaths, fatalities, slain), injure (injured, wounded, hurt,
 *   injuries). "Destroyed" is a group of its own, not "intercept": drones destroyed may have been
 *   destroyed on the ground, and sources that count interceptions often count those separately.
 *   Any other predicate is a group of its own.
 * - The head is the last word in front of the cut that is not a predicate; the other words are
 *   modifiers. A name of predicates alone ("killed", "deaths", "death toll") has no head noun and
 *   is compared with other such names only, by its predicates; its `head` in a suggestion names
 *   them ("death").
 *
 * Two names are suggested as one point of fact when they have the same head; the same predicate
 * groups, or one has none ("number of rockets" may be counting the rockets fired); and the same
 * modifiers, or one's modifiers include all of the other's ("personnel wounded" may be the "US
 * personnel wounded"). A name joining nouns with "and"/"or" ("rockets and drones") needs the same
 * modifiers exactly: it counts more than either noun alone.
 *
 * Direction: the name with the most claims is kept (on a tie the earlier one: callers pass facets
 * in order of first appearance), since it is the one most sources used. Matching is not
 * transitive ("number of rockets" matches both "rockets fired" and "rockets intercepted", which do
 * not match each other), so names are taken best first; each that is not yet merged becomes a
 * target, and every later name matching it and everything already merged into it is merged into
 * it. A name is thus suggested at most once, into its best compatible target; no target is itself
 * merged (no chains); and following all suggestions never joins two names that do not match.
 *
 * Cost: names are grouped by head in one pass, and only names sharing a head are compared; of a
 * group larger than MAX_COMPARED, only the MAX_COMPARED with the most claims are, so the work is
 * linear in the names plus at most MAX_COMPARED² per head.
 */

export interface FacetName {
  /** The facet folded: lowercase, spaces folded (as `facetKey`). */
  key: string;
  /** The spelling to show. */
  facet: string;
  /** How many claims the facet has. */
  claims: number;
}

export interface MergeSuggestion {
  /** Key of the facet to merge away. */
  from: string;
  /** Key of the facet to merge it into. */
  into: string;
  /** The noun both are about, singular (for names of predicates alone, what they count: "death"). */
  head: string;
  /** One sentence for the analyst. */
  reason: string;
}

/** The most names sharing a head that are compared with each other; beyond, work grows as its square. */
const MAX_COMPARED = 200;

interface PredicateGroup {
  noun: string;
  plural: string;
}

const GROUPS: Record<string, PredicateGroup> = {
  fire: { noun: 'launch', plural: 'launches' },
  strike: { noun: 'strike', plural: 'strikes' },
  intercept: { noun: 'interception', plural: 'interceptions' },
  kill: { noun: 'death', plural: 'deaths' },
  injure: { noun: 'injury', plural: 'injuries' },
};

/** Known predicates (singular forms) and their group; those outside GROUPS are groups of their own. */
const PREDICATES = new Map<string, string>([
  ...['fired', 'launched', 'used'].map((w) => [w, 'fire'] as const),
  ...['hit', 'struck', 'targeted', 'attacked', 'shelled', 'bombed'].map((w) => [w, 'strike'] as const),
  ...['intercepted', 'downed', 'down'].map((w) => [w, 'intercept'] as const),
  ...['killed', 'dead', 'died', 'death', 'fatality', 'slain'].map((w) => [w, 'kill'] as const),
  ...['injured', 'wounded', 'hurt', 'injury'].map((w) => [w, 'injure'] as const),
  ...['destroyed', 'damaged', 'displaced', 'missing', 'captured', 'kidnapped', 'abducted', 'arrested', 'detained', 'evacuated', 'lost', 'seized', 'taken', 'held'].map(
    (w) => [w, w] as const,
  ),
]);

/** Words ending in -ed that are not participles. */
const NOT_PARTICIPLES = new Set(['hundred', 'red', 'bed', 'shed', 'speed', 'seed', 'need', 'feed', 'breed', 'creed', 'greed', 'weed', 'steed', 'sled', 'hatred', 'kindred', 'proceed']);

/** Dropped wherever they stand (checked in singular form). */
const FILLERS = new Set([
  'the', 'a', 'an', 'total', 'overall', 'reported', 'estimated', 'reportedly', 'allegedly',
  'is', 'are', 'was', 'were', 'be', 'been', 'being', 'has', 'have', 'had',
  'number', 'amount', 'toll', 'tally', 'count', 'figure',
]);

/** Dropped with the word after them: "number of", "how many" (so the "of" does not cut the name). */
const QUANTITY_PHRASES = new Map<string, ReadonlySet<string>>([
  ['number', new Set(['of'])],
  ['count', new Set(['of'])],
  ['amount', new Set(['of'])],
  ['how', new Set(['many', 'much'])],
]);

const PREPOSITIONS = new Set([
  'of', 'in', 'at', 'on', 'by', 'from', 'near', 'during', 'against', 'to', 'into', 'for', 'with', 'over', 'across',
  'inside', 'outside', 'around', 'about', 'after', 'before', 'per', 'within', 'toward', 'towards', 'between', 'among', 'under',
]);

const CONJUNCTIONS = new Set(['and', 'or', 'plus']);

const IRREGULAR_PLURALS = new Map([
  ['people', 'person'], ['men', 'man'], ['women', 'woman'], ['children', 'child'], ['lives', 'life'], ['wives', 'wife'],
  ['knives', 'knife'], ['halves', 'half'], ['feet', 'foot'], ['teeth', 'tooth'], ['mice', 'mouse'], ['geese', 'goose'], ['buses', 'bus'],
]);

/** Words ending in s that are not plurals (or whose plural is themselves). */
const NOT_PLURALS = new Set(['news', 'series', 'species', 'means', 'headquarters', 'barracks', 'chassis', 'this', 'its', 'his', 'has', 'was', 'yes', 'gas', 'bus']);

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const LATIN_WORD = /^[\p{Script=Latin}\p{N}\p{M}]+$/u;
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_WORD = /[a-z0-9]+/g;

/**
 * A word made singular by rules simple enough to be wrong only on rare words (and then the same
 * way for the singular, or not at all): one spelling per noun is all the comparison needs.
 */
function singular(word: string): string {
  const irregular = IRREGULAR_PLURALS.get(word);
  if (irregular !== undefined) return irregular;
  if (word.length <= 3 || !word.endsWith('s') || NOT_PLURALS.has(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses') || word.endsWith('xes') || word.endsWith('ches') || word.endsWith('shes') || word.endsWith('zzes')) return word.slice(0, -2);
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  return word.slice(0, -1);
}

/**
 * The words of a name, or null when one is in a script other than Latin. Most names are ASCII, and
 * take a path without Unicode classes, which are several times slower.
 */
function wordsOf(facet: string): string[] | null {
  if (ASCII.test(facet)) {
    let text = facet.toLowerCase();
    if (text.includes("'") || text.includes('.')) text = text.replace(/'s(?![a-z0-9])/g, '').replace(/(?<=[a-z])['.]/g, '');
    return text.match(ASCII_WORD) ?? [];
  }
  const words =
    facet
      .normalize('NFKC')
      .toLowerCase()
      .replace(/['’]s(?![\p{L}\p{N}\p{M}])/gu, '')
      .replace(/(?<=\p{L})[.'’]/gu, '')
      .match(WORD) ?? [];
  return words.every((w) => LATIN_WORD.test(w)) ? words : null;
}

interface Reading {
  index: number;
  key: string;
  facet: string;
  claims: number;
  /** Singular head noun; '' for a name of predicates alone. */
  head: string;
  /** The head as written (lowercase), to say "rockets" rather than "rocket" where the name did. */
  headAsWritten: string;
  /** Predicate groups, sorted, without repeats; and joined, to compare. */
  predicates: string[];
  predicateKey: string;
  /** Sorted, without repeats. */
  modifiers: string[];
  /** Joins nouns with "and"/"or": its modifiers must be equal, not merely included. */
  compound: boolean;
}

/** What a word is to the reading, worked out once per word and call (names repeat their words). */
interface WordInfo {
  singular: string;
  kind: 'filler' | 'conjunction' | 'preposition' | 'shot' | 'predicate' | 'participle' | 'noun';
  /** The predicate group, for a known predicate. */
  group: string;
  /** Words that make a quantity phrase with this one ("of" after "number"). */
  phrase: ReadonlySet<string> | undefined;
}

function classify(word: string): WordInfo {
  const one = singular(word);
  const info: WordInfo = { singular: one, kind: 'noun', group: '', phrase: QUANTITY_PHRASES.get(word) };
  const known = PREDICATES.get(one) ?? PREDICATES.get(word);
  if (FILLERS.has(word) || FILLERS.has(one)) info.kind = 'filler';
  else if (CONJUNCTIONS.has(word)) info.kind = 'conjunction';
  else if (PREPOSITIONS.has(word)) info.kind = 'preposition';
  else if (word === 'shot') info.kind = 'shot';
  else if (known !== undefined) {
    info.kind = 'predicate';
    info.group = known;
  } else if (word.length >= 4 && word.endsWith('ed') && !NOT_PARTICIPLES.has(word)) info.kind = 'participle';
  return info;
}

/**
 * A facet name as head, predicates and modifiers; null when there is nothing to compare. One pass
 * over the words, few allocations: 10,000 names are read for every suggestion list.
 */
function read(name: FacetName, index: number, infoOf: (word: string) => WordInfo): Reading | null {
  const raw = wordsOf(name.facet);
  if (raw === null) return null;

  let head = '';
  let headAsWritten = '';
  let nouns = 0;
  let kept = 0;
  let inTail = false;
  let conjunction = false;
  const predicates: string[] = [];
  const modifiers: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const word = raw[i]!;
    const next = raw[i + 1];
    const info = infoOf(word);
    if (next !== undefined && info.phrase?.has(next)) {
      i++;
      continue;
    }
    switch (info.kind) {
      case 'filler':
        continue;
      case 'conjunction':
        if (!inTail) conjunction = true;
        continue;
      case 'preposition':
        // The first preposition after a kept word cuts the name; one before any ("of rockets") is dropped.
        if (kept > 0) inTail = true;
        continue;
    }
    kept++;
    if (inTail) modifiers.push(info.singular);
    else if (info.kind === 'shot') {
      if (next === 'down') {
        addOnce(predicates, 'intercept');
        i++;
      } else addOnce(predicates, 'fire');
    } else if (info.kind === 'predicate') addOnce(predicates, info.group);
    else if (info.kind === 'participle' && nouns > 0) addOnce(predicates, word);
    else {
      if (nouns > 0) modifiers.push(head);
      head = info.singular;
      headAsWritten = word;
      nouns++;
    }
  }
  if (nouns === 0 && predicates.length === 0) return null;

  if (predicates.length > 1) predicates.sort();
  if (modifiers.length > 1) modifiers.sort();
  const unique = modifiers.length > 1 ? modifiers.filter((m, i) => i === 0 || m !== modifiers[i - 1]) : modifiers;
  return {
    index,
    key: name.key,
    facet: name.facet,
    claims: Number.isFinite(name.claims) ? name.claims : 0,
    head,
    headAsWritten: nouns > 0 ? headAsWritten : predicates.map((p) => GROUPS[p]?.plural ?? `the ${p}`).join(' and '),
    predicates,
    predicateKey: predicates.join(' '),
    modifiers: unique,
    compound: conjunction && nouns > 1,
  };
}

function addOnce(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}

/** Whether every word of sorted `inner` is in sorted `outer`. */
function includes(outer: readonly string[], inner: readonly string[]): boolean {
  if (inner.length > outer.length) return false;
  let o = 0;
  for (const word of inner) {
    while (o < outer.length && outer[o]! < word) o++;
    if (outer[o] !== word) return false;
    o++;
  }
  return true;
}

/** Whether two names sharing a head may be one point of fact. */
function sameFact(a: Reading, b: Reading): boolean {
  if (a.predicateKey !== '' && b.predicateKey !== '' && a.predicateKey !== b.predicateKey) return false;
  if (a.compound || b.compound) return a.modifiers.length === b.modifiers.length && includes(a.modifiers, b.modifiers);
  return includes(a.modifiers, b.modifiers) || includes(b.modifiers, a.modifiers);
}

function everyFits(members: readonly Reading[], candidate: Reading): boolean {
  for (const member of members) if (!sameFact(member, candidate)) return false;
  return true;
}

/** Most claims first, then first seen. */
function byRank(a: Reading, b: Reading): number {
  return b.claims - a.claims || a.index - b.index;
}

function headName(into: Reading, from: Reading): { head: string; shown: string } {
  if (into.head === '') return { head: headOfPredicates(into), shown: into.headAsWritten };
  // Say the noun as a name wrote it in the plural, if either did: "rockets", not "rocket".
  const plural = [into, from].find((r) => r.headAsWritten !== r.head);
  return { head: into.head, shown: plural?.headAsWritten ?? into.head };
}

function headOfPredicates(r: Reading): string {
  return r.predicates.map((p) => GROUPS[p]?.noun ?? p).join(' and ');
}

/**
 * Pairs of facets of one incident that may be one point of fact, each as the facet to merge away
 * and the one to keep; ordered by the kept facet's place in `facets`, then the merged one's.
 */
export function suggestMerges(facets: FacetName[]): MergeSuggestion[] {
  const steps = suggestMergesStepwise(facets);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Names read, or pairs of names weighed, between two steps of `suggestMergesStepwise`: a few milliseconds' work. */
const WORK_PER_STEP = 1_000;

/**
 * `suggestMerges` in steps, for the comparison of a large incident (see compareIncidentStepwise):
 * an incident of 13,700 facets took 70–130 ms in one piece.
 */
export function* suggestMergesStepwise(facets: FacetName[]): Generator<void, MergeSuggestion[]> {
  let work = 0;
  const seen = new Set<string>();
  const words = new Map<string, WordInfo>();
  const infoOf = (word: string) => {
    let info = words.get(word);
    if (info === undefined) words.set(word, (info = classify(word)));
    return info;
  };
  const byHead = new Map<string, Reading[]>();
  for (const [index, name] of facets.entries()) {
    if (++work % WORK_PER_STEP === 0) yield;
    // A key given twice is one facet already: compare its first spelling only.
    if (seen.has(name.key)) continue;
    seen.add(name.key);
    const reading = read(name, index, infoOf);
    if (reading === null) continue;
    const group = byHead.get(reading.head);
    if (group === undefined) byHead.set(reading.head, [reading]);
    else group.push(reading);
  }

  const found: { into: Reading; from: Reading }[] = [];
  for (const group of byHead.values()) {
    if (group.length < 2) continue;
    const ranked = group.sort(byRank).slice(0, MAX_COMPARED);
    const merged = new Array<boolean>(ranked.length).fill(false);
    for (let t = 0; t < ranked.length; t++) {
      if (merged[t]) continue;
      const target = ranked[t]!;
      const members: Reading[] = [target];
      for (let f = t + 1; f < ranked.length; f++) {
        if (merged[f]) continue;
        const candidate = ranked[f]!;
        work += members.length;
        if (work >= WORK_PER_STEP) {
          work = 0;
          yield;
        }
        if (!everyFits(members, candidate)) continue;
        merged[f] = true;
        members.push(candidate);
        found.push({ into: target, from: candidate });
      }
    }
  }

  found.sort((a, b) => a.into.index - b.into.index || a.from.index - b.from.index);
  return found.map(({ into, from }) => {
    const { head, shown } = headName(into, from);
    const [first, second] = from.index < into.index ? [from, into] : [into, from];
    return { from: from.key, into: into.key, head, reason: `Both are about ${shown}: "${first.facet}" and "${second.facet}" may be the same point of fact` };
  });
}
