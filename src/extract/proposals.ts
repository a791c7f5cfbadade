/**
 * From a text to proposed claims: who said what count about which point of fact, through whom.
 * Pure: text and what the incident already knows in, proposals out. Nothing here is saved; the
 * analyst reviews every proposal first. Every proposal says which cue produced it.
 *
 * Sentence by sentence: the counts are found first (src/extract/counts.ts), then who speaks, by a
 * sieve (src/extract/speakers.ts): a reporting verb with its subject, then a quotation's speaker,
 * then a follow-up ("Also, …") continuing the last speaker in its paragraph, and otherwise the
 * document's own voice, its outlet's.
 */
import type { ClaimValue } from '../compare/values.js';
import { findCounts, pluralOf, type Count } from './counts.js';
import { DROPPED_FROM_NAMES, KIND_CUES, NATIONALITY_NAMES, REPORTING_VERBS, SPEAKER_NOUNS, TITLES, WELL_KNOWN_NAMES, OUTCOME_OF, nounClassOf } from './lexicon.js';
import { fold, nameForms } from './names.js';
import { findPlacesAndActors } from './places.js';
import { readText, type Sentence, type Word } from './reading.js';
import { findAttribution, textOf, type Attribution, type Mention } from './speakers.js';

export { fold, nameForms };

export type SourceKind = 'government' | 'military' | 'armed group' | 'media' | 'NGO' | 'individual' | 'other';

export interface KnownSource {
  id: number;
  name: string;
  kind: string;
}

export interface ExtractionContext {
  /** The outlet that published the text: the source of what it says in its own voice. */
  outlet?: string | null;
  /** Sources already in Claimgrid, matched by name or alias before a new one is proposed. */
  sources?: KnownSource[];
  /** The incident's facets, matched before a new one is proposed. */
  facets?: string[];
  /** Stop after this many proposals (a text built to yield a hundred thousand is not an article). */
  maxProposals?: number;
}

export interface SourceRef {
  name: string;
  /** An existing source's id; null for one the analyst would create. */
  id: number | null;
  kind: SourceKind;
}

export interface Proposal {
  sentence: string;
  /** The sentence's place in the text (characters, end exclusive). */
  start: number;
  end: number;
  source: SourceRef;
  via: { name: string; id: number | null } | null;
  facet: string;
  value: ClaimValue | null;
  quote: string | null;
  statement: string;
  /** Why: which rules produced the speaker and the count. */
  cue: string;
  /** The reporting words and the count, in text positions, to highlight. */
  marks: { cue: [number, number] | null; value: [number, number] | null };
}

export interface Extraction {
  sentences: number;
  proposals: Proposal[];
  /** True when the text held more than `maxProposals`: those after it were not made. */
  truncated: boolean;
}

/** Lines that are the page around an article, not the article: their numbers are nobody's claim. */
const FURNITURE = /^\s*(read more|read also|see also|related|related articles?|share( it| this)?|leave a (reply|comment)|your email address|required fields|reporting by|additional reporting|writing by|editing by|compiled by|follow us|subscribe|sign up|click here|advertisement|copyright|©|all rights reserved|tags?|photo|image|video|watch|listen|comments?|posted in|filed under)\b/i;

/** Sentence openings that carry the last speaker on. */
const CONTINUATIONS = /^\s*(also|in addition|additionally|moreover|furthermore|besides|he also|she also|they also)\b/i;

const ANONYMOUS_ROLES = new Set([
  'official', 'officials', 'spokesman', 'spokeswoman', 'spokesperson', 'source', 'sources', 'commander', 'commanders',
  'officer', 'officers', 'diplomat', 'diplomats', 'witness', 'witnesses', 'resident', 'residents', 'medic', 'medics',
  'doctor', 'doctors', 'analyst', 'analysts', 'activist', 'activists', 'worker', 'workers', 'rescuers', 'eyewitness',
]);

const DEMONYMS = new Set([
  'us', 'u.s.', 'american', 'israeli', 'iranian', 'syrian', 'iraqi', 'russian', 'ukrainian', 'yemeni', 'lebanese', 'saudi',
  'british', 'uk', 'french', 'german', 'turkish', 'sudanese', 'palestinian', 'egyptian', 'jordanian', 'qatari', 'emirati',
  'chinese', 'pakistani', 'afghan', 'western', 'european', 'un', 'nato', 'kurdish', 'houthi', 'iraq', 'iran', 'israel',
  'syria', 'russia', 'ukraine', 'yemen', 'lebanon', 'libyan', 'somali', 'malian', 'nigerian', 'ethiopian', 'eritrean',
  'armenian', 'azerbaijani', 'georgian', 'indian', 'coalition', 'pentagon', 'white', 'house', 'state', 'department',
]);

interface Speaker {
  ref: SourceRef;
  /** Words that name or describe it, for "the official said" to find it again. */
  words: Set<string>;
}

/** Proposals for every count (and every attributed quotation) in the text. */
export function proposeClaims(text: string, context: ExtractionContext = {}): Extraction {
  const reading = readText(text);
  const names = new SourceNames(context.sources ?? []);
  const outlet: SourceRef = context.outlet?.trim()
    ? names.resolve(context.outlet.trim(), 'media')
    : { name: '', id: null, kind: 'media' };
  const proposals: Proposal[] = [];
  /** Where each claim was first proposed: its place in `proposals`, and whether that was the headline. */
  const seen = new Map<string, { at: number; headline: boolean }>();
  /** Quotations some proposal already carries: a quotation with no count is proposed only if none does. */
  const quotesProposed = new Set<string>();
  const attributions = reading.sentences.map((sentence) => (isFurniture(sentence) ? null : findAttribution(sentence)));
  const namesBySentence = attributions.map((found) => {
    const named = found ? nameOf(found.speaker) : null;
    return named && 'name' in named ? named : null;
  });
  const namedAfter = (index: number) => namesBySentence.slice(index + 1).filter((named) => named !== null);
  const quoteSpeakers = new Map<number, { speaker: Speaker; via: SourceRef | null; cue: string }>();
  const spoken: Speaker[] = [];
  let last = null as { speaker: Speaker; via: SourceRef | null; paragraph: number } | null;

  const limit = context.maxProposals ?? Infinity;
  for (const sentence of reading.sentences) {
    if (proposals.length >= limit) break;
    if (isFurniture(sentence)) continue;
    const found = attributions[sentence.index]!;
    let who: { speaker: Speaker; via: SourceRef | null; cue: string } | null = null;
    if (found) {
      const speaker = resolveMention(found.speaker, names, spoken, last?.speaker ?? null, sentence.paragraph === 0 ? () => namedAfter(sentence.index) : null);
      // "He added …" after "a US official told Al Jazeera": still speaking to Al Jazeera.
      const via = found.via ? names.resolve(textOf(found.via), 'media') : speaker === last?.speaker ? last.via : null;
      who = { speaker, via, cue: found.cue };
      for (const q of quotesIn(sentence)) if (!quoteSpeakers.has(q)) quoteSpeakers.set(q, who);
    } else {
      const q = mainQuote(sentence);
      if (q !== null) {
        // The quotation's speaker, named in this sentence or one after it in the same quotation.
        who = quoteSpeakers.get(q) ?? lookAhead(reading.sentences, attributions, sentence.index, q, names, spoken, last?.speaker ?? null);
        if (who) who = { ...who, cue: `inside the quotation of ${who.speaker.ref.name}` };
        // '"…," Saree said. "We fired 12 missiles."': a quotation right after the last speaker's, in
        // its paragraph or the next, goes on in their voice.
        const before = quoteSpeakers.get(q - 1);
        const quoteBefore = reading.quotes[q - 1];
        if (!who && before && quoteBefore && last?.speaker === before.speaker && sentence.paragraph - paragraphAt(reading.sentences, quoteBefore.start) <= 1) {
          who = { ...before, cue: `a quotation following ${before.speaker.ref.name}'s` };
          quoteSpeakers.set(q, who);
        }
      }
      if (!who && last && last.paragraph === sentence.paragraph && CONTINUATIONS.test(sentence.text)) {
        who = { speaker: last.speaker, via: last.via, cue: `continues ${last.speaker.ref.name}'s account in the same paragraph ("${sentence.text.match(CONTINUATIONS)![1]}")` };
      }
    }
    const own = !who || sameSource(who.speaker.ref, outlet);
    const source = own ? outlet : who!.speaker.ref;
    const via = own ? null : who!.via && !sameSource(who!.via, source) ? who!.via : outlet.name ? outlet : null;
    const speakerCue = own ? (who ? `${who.cue} (the document's outlet)` : 'no attribution: the document\'s own voice') : who!.cue;
    if (who && !own) {
      // Each speaker once, the most recent last (a long text names the same few speakers again and again).
      const at = spoken.lastIndexOf(who.speaker);
      if (at !== spoken.length - 1) {
        if (at >= 0) spoken.splice(at, 1);
        spoken.push(who.speaker);
      }
      last = { speaker: who.speaker, via: who.via, paragraph: sentence.paragraph };
    }

    const counts = findCounts(sentence, found?.words ?? new Set()).map((count) => (found?.denial ? denied(count, sentence, found.verbAt) : count));
    const placesAndActors = findPlacesAndActors(sentence, found?.words ?? new Set());
    const place = placesAndActors.find((finding) => finding.facet === 'location')?.value;
    /** A proposal from this sentence, by its speaker, of what was found at `at`. */
    const proposal = (facet: string, value: ClaimValue, statement: string, cue: string, at: { start: number; end: number; first: Word }): Proposal => {
      const quote = at.first.quote === null ? null : reading.quotes[at.first.quote]!.text;
      if (quote !== null) quotesProposed.add(quote);
      return {
        sentence: sentence.text,
        start: sentence.start,
        end: sentence.end,
        source,
        via: via ? { name: via.name, id: via.id } : null,
        facet,
        value,
        quote,
        statement,
        cue: `${speakerCue}; ${cue}`,
        marks: { cue: found ? [found.cueStart, found.cueEnd] : null, value: [at.start, at.end] },
      };
    };
    for (const count of counts) {
      const facet = matchFacet(count, context.facets ?? []);
      // A headline repeats the article: one proposal per source, via, facet and value. "People" and
      // "civilians" killed by the same source in the same number are one claim told twice.
      const noun = count.nounClass === 'people' || count.nounClass === 'civilians' ? 'people' : facet.toLowerCase();
      const key = [source.name.toLowerCase(), via?.name.toLowerCase() ?? '', noun, count.outcome ?? '', count.value.low, count.value.high].join('\u0000');
      const before = seen.get(key);
      // The article's own sentence says it better than its headline: it replaces the headline's proposal.
      if (before && !(before.headline && sentence.paragraph > 0)) continue;
      seen.set(key, { at: before?.at ?? proposals.length, headline: sentence.paragraph === 0 });
      // "Ten rockets were fired at the Green Village compound.": where, when the sentence names it.
      const statement = place && count.nounClass === 'weapons' && count.value.low !== 0 ? count.statement.replace(/\.$/, ` at the ${place}.`) : count.statement;
      const cue = `${count.cue}${facet !== count.facet ? `; matched to the incident's facet "${facet}"` : ''}`;
      proposals[before?.at ?? proposals.length] = proposal(facet, count.value, statement, cue, count);
    }
    // Where it struck and who struck, as text values.
    for (const finding of placesAndActors) {
      const facet = matchTextFacet(finding.facet, context.facets ?? []);
      const key = [source.name.toLowerCase(), via?.name.toLowerCase() ?? '', facet.toLowerCase(), finding.value.toLowerCase()].join('\u0000');
      if (seen.has(key)) continue;
      seen.set(key, { at: proposals.length, headline: sentence.paragraph === 0 });
      proposals.push(proposal(facet, { text: finding.value, low: null, high: null }, finding.statement, finding.cue, finding));
    }
    // A quotation with no count is still what someone said: proposed once, where it starts.
    for (const q of quotesStartingIn(sentence, reading.quotes)) {
      const stretch = reading.quotes[q]!;
      const speaker = quoteSpeakers.get(q) ?? (found ? who : null);
      if (!speaker || stretch.text.split(/\s+/).length < 6) continue;
      if (quotesProposed.has(stretch.text)) continue;
      const quoteOwn = sameSource(speaker.speaker.ref, outlet);
      if (quoteOwn) continue;
      proposals.push({
        sentence: sentence.text,
        start: sentence.start,
        end: sentence.end,
        source: speaker.speaker.ref,
        via: speaker.via && !sameSource(speaker.via, speaker.speaker.ref) ? { name: speaker.via.name, id: speaker.via.id } : outlet.name ? { name: outlet.name, id: outlet.id } : null,
        facet: matchFacet(null, context.facets ?? []),
        value: null,
        quote: stretch.text,
        statement: `${speaker.speaker.ref.name}: ${firstWords(stretch.text, 25)}`,
        cue: `${speaker.cue}; a quotation with no count in it`,
        marks: { cue: found ? [found.cueStart, found.cueEnd] : null, value: null },
      });
    }
  }
  return { sentences: reading.sentences.length, proposals: proposals.slice(0, limit), truncated: proposals.length >= limit };
}

/**
 * A count after "denied that …" is what the speaker denies: their claim is that it did not happen.
 * "Iran denied that three of its advisers were killed" is Iran's "none", not Iran's "three".
 */
function denied(count: Count, sentence: Sentence, verbAt: number): Count {
  // The denial reaches to the next clause: "…denied that it shelled the market, saying it shot down two drones".
  const words = sentence.words;
  let scopeEnd = words.length;
  for (let k = verbAt + 1; k < words.length; k++) {
    if (REPORTING_VERBS.has(words[k]!.lower) || words[k]!.lower === 'but' || words[k]!.text === ';') {
      scopeEnd = k;
      break;
    }
  }
  const endOfScope = scopeEnd < words.length ? words[scopeEnd]!.start : Infinity;
  if (count.start < words[verbAt]!.end || count.start >= endOfScope || count.value.low === 0) return count;
  return {
    ...count,
    value: { text: 'none', low: 0, high: 0 },
    statement: `No ${count.noun}${count.outcome ? ` were ${count.outcome}` : ''} (the speaker denied “${count.value.text}”).`,
    cue: `${count.cue}; denied, so the speaker's claim is none`,
  };
}

/** The paragraph of the sentence holding the character at `at`. */
function paragraphAt(sentences: Sentence[], at: number): number {
  let low = 0;
  let high = sentences.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (sentences[middle]!.start <= at) low = middle;
    else high = middle - 1;
  }
  return sentences[low]?.paragraph ?? 0;
}

function isFurniture(sentence: Sentence): boolean {
  return FURNITURE.test(sentence.text) && sentence.words.length < 60;
}

function quotesIn(sentence: Sentence): Set<number> {
  const found = new Set<number>();
  for (const w of sentence.words) if (w.quote !== null) found.add(w.quote);
  return found;
}

/** The quotation most of the sentence is in, if any. */
function mainQuote(sentence: Sentence): number | null {
  const counts = new Map<number, number>();
  for (const w of sentence.words) if (w.quote !== null) counts.set(w.quote, (counts.get(w.quote) ?? 0) + 1);
  for (const [q, n] of counts) if (n * 2 >= sentence.words.length) return q;
  return null;
}

function quotesStartingIn(sentence: Sentence, quotes: { start: number }[]): number[] {
  const found: number[] = [];
  for (const q of quotesIn(sentence)) {
    const start = quotes[q]!.start;
    if (start >= sentence.start && start <= sentence.end) found.push(q);
  }
  return found;
}

function lookAhead(
  sentences: Sentence[],
  attributions: (Attribution | null)[],
  from: number,
  q: number,
  names: SourceNames,
  spoken: Speaker[],
  last: Speaker | null,
): { speaker: Speaker; via: SourceRef | null; cue: string } | null {
  for (let i = from + 1; i < sentences.length && i < from + 8; i++) {
    const sentence = sentences[i]!;
    if (!quotesIn(sentence).has(q)) {
      // ", he said" may come right after the closing mark, in the sentence that follows.
      if (i > from + 1 || !attributions[i]) return null;
    }
    const found = attributions[i];
    if (found) {
      return {
        speaker: resolveMention(found.speaker, names, spoken, last),
        via: found.via ? names.resolve(textOf(found.via), 'media') : null,
        cue: found.cue,
      };
    }
  }
  return null;
}

function firstWords(text: string, n: number): string {
  const words = text.split(/\s+/);
  return words.length <= n ? text : `${words.slice(0, n).join(' ')} …`;
}

// ---------------------------------------------------------------------------
// Speakers to sources

/**
 * The speaker a mention names. `spoken` holds each speaker once, the most recent last. `later`, for
 * a headline only, gives the names the article goes on to use: a headline's "ministry says" comes
 * before the article names the ministry. Anywhere else a description is never given to a speaker
 * named after it ("…, the ministry said. The White House said …" is not the White House's).
 */
function resolveMention(mention: Mention, names: SourceNames, spoken: Speaker[], last: Speaker | null, later: (() => { name: string; kind: SourceKind }[]) | null = null): Speaker {
  const named = nameOf(mention);
  if ('refer' in named) {
    if (named.refer === '' && last) return last;
    let earlier: Speaker | undefined;
    for (let i = spoken.length - 1; i >= 0 && !earlier; i--) if (spoken[i]!.words.has(named.refer)) earlier = spoken[i];
    if (earlier) return earlier;
    const fits = new Set([named.refer, ...(named.also ?? [])]);
    const kind = guessKind(named.fallback);
    const laterNames = later?.() ?? [];
    const afterwards =
      laterNames.find((n) => n.name.toLowerCase().split(/[\s’']+/).some((w) => fits.has(w))) ??
      (kind === 'other' ? undefined : laterNames.find((n) => n.kind === kind));
    if (afterwards) return speakerFor(names.resolve(afterwards.name, afterwards.kind), mention);
    if (last && ANONYMOUS_ROLES.has(named.refer)) return last;
    return speakerFor(names.resolve(`${named.fallback}`, guessKind(named.fallback)), mention);
  }
  const ref = names.resolve(named.name, named.kind, named.person === true);
  const again = spoken.find((s) => sameSource(s.ref, ref));
  if (again) {
    for (const w of mention.words) again.words.add(w.lower);
    return again;
  }
  return speakerFor(ref, mention);
}

function speakerFor(ref: SourceRef, mention: Mention): Speaker {
  const words = new Set([...mention.words, ...(mention.appositive ?? [])].map((w) => w.lower));
  for (const w of ref.name.toLowerCase().split(/\s+/)) words.add(w);
  return { ref, words };
}

type Named = { name: string; kind: SourceKind; person?: boolean } | { refer: string; also?: string[]; fallback: string };

/** How Claimgrid names the speaker: a person by name, an organisation by its name, anyone else "(unnamed)". */
function nameOf(mention: Mention): Named {
  const words = dropLeading(mention.words);
  const whole = textOf(mention.words);
  if (words.length === 1 && ['he', 'she', 'they', 'it', 'we'].includes(words[0]!.lower)) return { refer: '', fallback: 'unnamed speaker' };
  if (mention.appositive && mention.appositive.length > 0) {
    // "X's spokesman, Col. Y, said": Y, a named person, speaks for X.
    const person = afterTitles(mention.appositive);
    return { name: textOf(person.length ? person : mention.appositive), kind: guessKind(`${whole} ${textOf(mention.appositive)}`, 'individual'), person: true };
  }
  const spokes = words.findIndex((w) => /^spokes(man|woman|person|people|men)$/.test(w.lower));
  if (spokes >= 0) {
    // "a spokesman for the Houthis", "the army's spokesman": the organisation speaks.
    const forAt = words.findIndex((w, i) => i > spokes && w.lower === 'for');
    const possessive = words.findIndex((w, i) => i < spokes && (w.lower === "'s" || w.lower === '’s'));
    const org = forAt >= 0 ? dropLeading(words.slice(forAt + 1)) : possessive >= 0 ? words.slice(0, possessive) : [];
    if (org.length === 1 && ['its', 'their', 'his', 'her'].includes(org[0]!.lower)) return { refer: '', fallback: whole };
    if (org.length > 0) {
      if (!org.some((w) => w.pos === 'PROPN' && !DEMONYMS.has(w.lower))) return { refer: org.at(-1)!.lower, fallback: textOf(org) };
      return { name: textOf(org), kind: guessKind(textOf(org)) };
    }
  }
  const properNouns = words.filter((w) => w.pos === 'PROPN' && !DEMONYMS.has(w.lower.replace(/['’]s$/, '')));
  if (properNouns.length > 0) {
    const titled = words.some((w) => TITLES.has(w.lower));
    const person = titled ? afterTitles(words) : [];
    const personal = person.every((w) => (w.pos === 'PROPN' && !SPEAKER_NOUNS.has(w.lower)) || w.text === '-' || w.lower === 'al' || w.lower === 'bin');
    if (person.length > 0 && personal) {
      return { name: textOf(person), kind: guessKind(whole, 'individual'), person: true };
    }
    const name = textOf(words);
    const known = WELL_KNOWN_NAMES[name.toLowerCase()];
    return { name: known ?? capitalise(normaliseNationality(name)), kind: guessKind(known ?? name, 'other') };
  }
  const head = [...words].reverse().find((w) => w.pos === 'NOUN' || SPEAKER_NOUNS.has(w.lower));
  const description = normaliseNationality(textOf(words));
  if (head && ANONYMOUS_ROLES.has(head.lower)) {
    const definite = mention.words[0]?.lower === 'the' && words.length === 1;
    if (definite) return { refer: head.lower, fallback: `${capitalise(description)} (unnamed)` };
    return { name: `${capitalise(description)} (unnamed)`, kind: guessKind(description) };
  }
  const known = WELL_KNOWN_NAMES[description.toLowerCase()];
  if (known) return { name: known, kind: guessKind(known) };
  // "the ministry", "doctors’ group": a description of someone the text names before or after.
  if (head && !words.some((w) => DEMONYMS.has(w.lower))) {
    return { refer: head.lower, also: words.filter((w) => w.pos === 'NOUN' && w !== head).map((w) => w.lower.replace(/['’]s?$/, '')), fallback: capitalise(description) };
  }
  return { name: capitalise(description), kind: guessKind(description) };
}

function dropLeading(words: Word[]): Word[] {
  let i = 0;
  while (i < words.length && DROPPED_FROM_NAMES.has(words[i]!.lower)) i++;
  return words.slice(i);
}

function afterTitles(words: Word[]): Word[] {
  let lastTitle = -1;
  words.forEach((w, i) => {
    if (TITLES.has(w.lower) || DEMONYMS.has(w.lower) || w.text === '.' || w.lower === 'of') lastTitle = i;
  });
  // "the mayor of Nabatieh": a place after "of", not a person's name.
  if (words[lastTitle]?.lower === 'of') return [];
  return words.slice(lastTitle + 1).filter((w) => w.text !== ',');
}

function normaliseNationality(text: string): string {
  return text.replace(/\b(American|U\.S\.?|British|U\.K\.)(?=\s|$)/g, (word) => NATIONALITY_NAMES[word.toLowerCase()] ?? word);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function guessKind(text: string, otherwise: SourceKind = 'other'): SourceKind {
  for (const [pattern, kind] of KIND_CUES) if (pattern.test(text)) return kind;
  return otherwise;
}

function sameSource(a: SourceRef, b: SourceRef): boolean {
  if (a.id !== null && b.id !== null) return a.id === b.id;
  return a.name !== '' && fold(a.name) === fold(b.name);
}

/** Names to sources: an existing source by any form of its name, else the same new source every time. */
class SourceNames {
  private readonly byForm = new Map<string, SourceRef>();
  private readonly people: SourceRef[] = [];

  constructor(known: KnownSource[]) {
    for (const source of known) {
      const ref: SourceRef = { name: source.name, id: source.id, kind: asKind(source.kind) };
      for (const form of nameForms(source.name)) if (!this.byForm.has(form)) this.byForm.set(form, ref);
      if (ref.kind === 'individual') this.people.push(ref);
    }
  }

  /** The source `name` names; `person` when it is a person's name, so that the surname alone finds it later. */
  resolve(name: string, kind: SourceKind, person = false): SourceRef {
    const canonical = WELL_KNOWN_NAMES[fold(name)] ?? name;
    const forms = nameForms(canonical);
    for (const form of [...forms, ...nameForms(name)]) {
      const found = this.byForm.get(form);
      if (found) return found;
    }
    // "Biden" after "Joe Biden": a surname alone is the person named before.
    if (!name.includes(' ')) {
      const person = this.people.find((p) => p.name.split(' ').at(-1)!.toLowerCase() === name.toLowerCase());
      if (person) return person;
    }
    const ref: SourceRef = { name: canonical, id: null, kind };
    for (const form of forms) this.byForm.set(form, ref);
    if (person || kind === 'individual') this.people.push(ref);
    return ref;
  }
}

function asKind(kind: string): SourceKind {
  return (['government', 'military', 'armed group', 'media', 'NGO', 'individual', 'other'] as const).find((k) => k === kind) ?? 'other';
}

// ---------------------------------------------------------------------------
// Facets

const OUTCOME_GROUPS: string[][] = [
  ['killed', 'dead', 'deaths', 'death', 'fatalities', 'died', 'kill'],
  ['wounded', 'injured', 'injuries', 'hurt', 'wounds'],
  ['fired', 'launched', 'used'],
  ['shot down', 'intercepted', 'downed'],
  ['targeted', 'attacked', 'hit', 'struck'],
  ['destroyed', 'damaged'],
  ['arrested', 'detained'],
];
const GENERIC_PEOPLE = new Set(['people', 'casualties', 'persons', 'victims']);

/** The incident's facet for a place or an actor ("location", "locations hit"), or the plain name. */
function matchTextFacet(facet: 'location' | 'perpetrator', facets: string[]): string {
  const stems = facet === 'location' ? ['location', 'locations', 'place', 'places'] : ['perpetrator', 'perpetrators', 'attacker', 'attackers'];
  return facets.find((f) => fold(f) === facet) ?? facets.find((f) => fold(f).split(' ').some((w) => stems.includes(w))) ?? facet;
}

/** The incident's facet that says the same as the count's, or the count's own suggestion. */
function matchFacet(count: Count | null, facets: string[]): string {
  if (!count) return facets.find((f) => fold(f) === 'statement') ?? 'statement';
  const wanted = fold(count.facet);
  const exact = facets.find((f) => fold(f) === wanted);
  if (exact) return exact;
  const wantedWords = wanted.split(' ');
  for (const facet of facets) {
    const words = fold(facet).split(' ');
    if (!count.outcome) {
      if (wantedWords.every((w) => words.includes(w))) return facet;
      continue;
    }
    const group = OUTCOME_GROUPS.find((g) => g.includes(count.outcome!)) ?? [count.outcome];
    const joined = words.join(' ');
    if (!group.some((o) => joined.includes(o))) continue;
    // People may be named many ways ("soldiers" and "US personnel"); things only by their own noun:
    // "houses hit" is not "bases targeted", nor "rockets fired" "drones launched".
    const people = count.nounClass === 'people' || count.nounClass === 'civilians' || count.nounClass === 'personnel';
    const nounOk = words.some((w) => pluralOf(w) === count.noun
      || (people && ((nounClassOf(w) !== undefined && nounClassOf(w) === count.nounClass) || GENERIC_PEOPLE.has(w))));
    const otherOutcome = words.some((w) => OUTCOME_OF.has(w) && !group.includes(w) && !group.includes(OUTCOME_OF.get(w)!));
    if (nounOk && !otherOutcome) return facet;
  }
  return count.facet;
}
