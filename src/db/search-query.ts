/**
 * What a person types into the search box, read into an FTS5 MATCH expression. Nothing typed goes
 * into the expression as syntax: every word and phrase is rebuilt as a quoted FTS5 string, so a
 * stray `"`, `(`, `*`, `:` or `NEAR` can neither break the query nor change its meaning. The few
 * operators people expect from search engines are read here and written out explicitly:
 *
 *   rockets drones        both words (AND is implied; writing it is allowed)
 *   "Green Village"       the words in this order
 *   rockets OR missiles   either
 *   -drones, NOT drones   leave out what has the word
 *   rock*                 words beginning "rock" (at least two letters before the star)
 *
 * Words are matched after folding case and diacritics and reducing English words to their stem
 * (the index's tokenizer), so "rocket" finds "rockets". Mistakes that a query cannot mean anything
 * with (an AND or OR with nothing on one side, an unclosed quotation mark, only words to leave out)
 * are `Invalid` with a message for the person, never an SQLite error.
 */
import { Invalid } from '../errors.js';

/** Past this many words a query is not a search but a text pasted in: it says so rather than run it. */
export const MAX_SEARCH_TERMS = 32;

export interface SearchTerm {
  /** The words as typed (without quotes or star). */
  text: string;
  phrase: boolean;
  prefix: boolean;
}

export interface ParsedSearch {
  /** The FTS5 expression: safe to bind as the right side of MATCH. */
  match: string;
  /** Alternatives (joined by OR), each a list of terms all of which must match. */
  anyOf: SearchTerm[][];
  /** Terms whose matches are left out. */
  without: SearchTerm[];
}

type Token = { kind: 'term'; term: SearchTerm; negated: boolean } | { kind: 'AND' | 'OR' | 'NOT' };

const WORD_CHARACTER = /[\p{L}\p{N}]/u;

function mistake(message: string): Invalid {
  return new Invalid(message, [{ path: 'q', message }]);
}

/** Control characters: FTS5 ends a quoted string at a NUL, so none of them may reach one; they separate words. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu;

/** Half of a character (a lone UTF-16 surrogate) cannot be written to SQLite as text. */
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function tokenize(typed: string): Token[] {
  const query = typed.replace(CONTROL_CHARACTERS, ' ').replace(LONE_SURROGATES, ' ');
  const tokens: Token[] = [];
  let at = 0;
  while (at < query.length) {
    const rest = query.slice(at);
    const space = /^\s+/u.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const negated = rest.startsWith('-') && rest.length > 1 && !/^-\s/u.test(rest);
    const start = negated ? at + 1 : at;
    if (query[start] === '"' || query[start] === '“' || query[start] === '”') {
      const close = query.slice(start + 1).search(/["“”]/u);
      if (close === -1) throw mistake('A quotation mark is not closed: close the phrase with " or remove the mark.');
      const text = query.slice(start + 1, start + 1 + close).trim();
      at = start + close + 2;
      const prefix = query[at] === '*';
      if (prefix) at += 1;
      if (WORD_CHARACTER.test(text)) tokens.push({ kind: 'term', term: { text, phrase: true, prefix }, negated });
      continue;
    }
    const word = /^[^\s"“”]+/u.exec(query.slice(start))![0];
    at = start + word.length;
    if (!negated && (word === 'AND' || word === 'OR' || word === 'NOT')) {
      tokens.push({ kind: word });
      continue;
    }
    const prefix = word.endsWith('*');
    const text = word.replace(/\*+$/u, '');
    if (!WORD_CHARACTER.test(text)) continue;
    if (prefix && [...text.matchAll(/[\p{L}\p{N}]/gu)].length < 2) {
      throw mistake(`"${word}" would match too many words: give at least two letters before the *.`);
    }
    tokens.push({ kind: 'term', term: { text, phrase: false, prefix }, negated });
  }
  return tokens;
}

/** An FTS5 string: the text in double quotes, its own double quotes doubled (none survive tokenize). */
function ftsString(term: SearchTerm): string {
  return `"${term.text.replaceAll('"', '""')}"${term.prefix ? ' *' : ''}`;
}

/** Reads `query`; throws `Invalid` (path `q`) when it cannot mean anything. */
export function parseSearch(query: string): ParsedSearch {
  const tokens = tokenize(query);
  const anyOf: SearchTerm[][] = [[]];
  const without: SearchTerm[] = [];
  let pending: 'AND' | 'OR' | 'NOT' | undefined;
  let seenTerm = false;
  for (const token of tokens) {
    if (token.kind !== 'term') {
      if (pending === 'NOT' || (pending && token.kind !== 'NOT')) throw mistake(`"${pending} ${token.kind}" needs a word between them.`);
      if (token.kind !== 'NOT' && !seenTerm) throw mistake(`"${token.kind}" needs a word before it, and one after it.`);
      pending = token.kind;
      continue;
    }
    if (token.negated && pending === 'OR') throw mistake('"OR" needs a word to look for after it, not one to leave out.');
    if (token.negated || pending === 'NOT') without.push(token.term);
    else if (pending === 'OR') anyOf.push([token.term]);
    else anyOf.at(-1)!.push(token.term);
    pending = undefined;
    seenTerm = true;
  }
  if (pending) throw mistake(`"${pending}" needs a word after it.`);
  const alternatives = anyOf.filter((terms) => terms.length > 0);
  if (alternatives.length === 0) {
    throw mistake(without.length > 0 ? 'Say what to look for, not only what to leave out.' : 'Type a word to search for.');
  }
  const count = alternatives.reduce((sum, terms) => sum + terms.length, without.length);
  if (count > MAX_SEARCH_TERMS) throw mistake(`A search can have at most ${MAX_SEARCH_TERMS} words and phrases; this one has ${count}.`);
  let match = alternatives.map((terms) => `(${terms.map(ftsString).join(' AND ')})`).join(' OR ');
  for (const term of without) match = `(${match}) NOT ${ftsString(term)}`;
  return { match, anyOf: alternatives, without };
}
