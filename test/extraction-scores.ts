/**
 * Scoring proposals against an answer key: which of the key's claims were proposed with the right
 * source (by any of its names), via and value (read as the same interval, so "a" soldier is "one").
 * Shared by the extraction tests and the figures they check in the README.
 */
import fs from 'node:fs';
import { parseValue } from '../src/compare/values.js';
import { nameForms, type Proposal } from '../src/extract/proposals.js';

export interface KeyClaim {
  source: string;
  aliases?: string[];
  kind?: string;
  via: string | null;
  facet: string;
  value: string;
  sentence?: string;
}

export interface AnswerKey {
  outlet: string;
  published_at: string;
  claims: KeyClaim[];
}

export interface Score {
  claims: number;
  proposed: number;
  matched: { key: KeyClaim; proposal: Proposal }[];
  missed: KeyClaim[];
  extra: Proposal[];
}

export const TEXTS = new URL('./extract-texts/', import.meta.url);

/** The test texts of our own, in file order: name, text and key. */
export function ownTexts(): { name: string; text: string; key: AnswerKey }[] {
  return textsIn(TEXTS);
}

/** Texts written to the same conventions and kept out of sight while the rules were tuned. */
export function heldOutTexts(): { name: string; text: string; key: AnswerKey }[] {
  return textsIn(new URL('held-out/', TEXTS));
}

function textsIn(folder: URL): { name: string; text: string; key: AnswerKey }[] {
  return fs
    .readdirSync(folder)
    .filter((file) => /^\d\d-.*\.txt$/.test(file))
    .sort()
    .map((file) => ({
      name: file.replace(/\.txt$/, ''),
      text: fs.readFileSync(new URL(file, folder), 'utf8'),
      key: JSON.parse(fs.readFileSync(new URL(file.replace(/\.txt$/, '.json'), folder), 'utf8')) as AnswerKey,
    }));
}

function sameName(name: string, accepted: string[]): boolean {
  const wanted = new Set(accepted.flatMap((n) => nameForms(n)));
  return nameForms(name).some((form) => wanted.has(form));
}

function sameValue(a: string, low: number | null, high: number | null): boolean {
  const read = parseValue(a);
  return read !== null && read.low !== null && read.low === low && read.high === high;
}

/**
 * One proposal per key claim at most: proposals with the right source, (via) and value, the one
 * with the key's facet first. `withVia` false scores source + value only.
 */
export function score(proposals: Proposal[], claims: KeyClaim[], { withVia }: { withVia: boolean }): Score {
  const counted = proposals.filter((p) => p.value !== null && p.value.low !== null);
  const free = new Set(counted);
  const matched: Score['matched'] = [];
  const missed: KeyClaim[] = [];
  for (const key of claims) {
    const candidates = counted.filter(
      (p) =>
        free.has(p) &&
        sameName(p.source.name, [key.source, ...(key.aliases ?? [])]) &&
        sameValue(key.value, p.value!.low, p.value!.high) &&
        (!withVia || (key.via === null ? p.via === null : p.via !== null && sameName(p.via.name, [key.via]))),
    );
    const best = candidates.find((p) => p.facet.toLowerCase() === key.facet.toLowerCase()) ?? candidates[0];
    if (best) {
      free.delete(best);
      matched.push({ key, proposal: best });
    } else {
      missed.push(key);
    }
  }
  return { claims: claims.length, proposed: counted.length, matched, missed, extra: [...free] };
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${Math.round((100 * part) / whole)}%`;
}
