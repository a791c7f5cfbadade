/**
 * How sources' names are compared: folded (case, spaces, "U.S." as "US", a leading "the"), and
 * found by any of their forms ("US Central Command (CENTCOM)" by "CENTCOM" too). Used on the
 * extraction thread and, to tell which proposals were taken, on the main one.
 */
import { WELL_KNOWN_NAMES } from './lexicon.js';

export function fold(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/\bu\.s\.?(?=\s|$)/g, 'us')
    .replace(/\bu\.k\.?(?=\s|$)/g, 'uk')
    .replace(/^the\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The forms a source's name is found by: its name, the name without "(…)", what is in the brackets. */
export function nameForms(name: string): string[] {
  const forms = new Set([fold(name)]);
  const bracket = name.match(/^(.*?)\s*\(([^)]*)\)\s*$/);
  if (bracket) {
    forms.add(fold(bracket[1]!));
    if (bracket[2]!.toLowerCase() !== 'unnamed') forms.add(fold(bracket[2]!));
  }
  for (const form of [...forms]) {
    const withoutCountry = form.replace(/^(us|u\.s\.|american|uk|british)\s+/, '');
    if (withoutCountry !== form && withoutCountry.split(' ').length > 0) forms.add(withoutCountry);
    const known = WELL_KNOWN_NAMES[form];
    if (known) forms.add(fold(known));
  }
  return [...forms];
}

