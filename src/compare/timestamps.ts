/**
 * Publication times, one grammar for what a form accepts and how the comparison orders claims:
 * a date ("2023-03-24": sources are often only known to the day), or a date and time
 * ("2023-03-24T21:30", a space instead of the T allowed), optionally with seconds (and up to three
 * decimals) and a zone ("Z", "+03:30").
 */

export interface Timestamp {
  date: string;
  /** "HH:MM:SS.mmm", absent for a date alone. */
  time: string | undefined;
  /** "Z" or "+HH:MM"; absent when the source gave no zone (the time is taken as written). */
  zone: string | undefined;
}

const GRAMMAR = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The timestamp `text` writes, or undefined if it is not one (or names a day or hour that does not exist). */
export function readTimestamp(text: string): Timestamp | undefined {
  const match = GRAMMAR.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '00', millis = '0', zone] = match;
  if (!isRealDate(Number(year), Number(month), Number(day))) return undefined;
  const date = `${year}-${month}-${day}`;
  if (hour === undefined || minute === undefined) return { date, time: undefined, zone: undefined };
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  if (zone !== undefined && zone !== 'Z' && (Number(zone.slice(1, 3)) > 14 || Number(zone.slice(4)) > 59)) return undefined;
  return { date, time: `${hour}:${minute}:${second}.${millis.padEnd(3, '0')}`, zone };
}

/**
 * A publication time as written, read: text that is not a timestamp, a date alone, or a date and
 * time with, when it had a zone, the instant in UTC ("YYYY-MM-DDTHH:MM:SS.mmm"). Null for none.
 */
type Published = { text: string } | { date: string; time: undefined } | { date: string; time: string; utc: string | undefined };

function readPublished(published: string | null): Published | null {
  if (published === null || published.trim() === '') return null;
  const text = published.trim();
  const timestamp = readTimestamp(text);
  if (timestamp === undefined) return { text };
  const { date, time, zone } = timestamp;
  if (time === undefined) return { date, time };
  const utc = zone === undefined ? undefined : new Date(Date.parse(`${date}T${time}${zone}`)).toISOString().slice(0, -1);
  return { date, time, utc };
}

/**
 * A key that sorts publication times in the order they happened: times with a zone are moved to
 * UTC so they order correctly against each other; times without one are taken as written; a date
 * alone sorts before any time on that day, since it says less. Text that is not a timestamp is
 * compared as written; no time at all is ''.
 */
export function publicationOrderKey(published: string | null): string {
  const read = readPublished(published);
  if (read === null) return '';
  if ('text' in read) return read.text;
  if (read.time === undefined) return read.date;
  return read.utc ?? `${read.date}T${read.time}`;
}

/**
 * A publication time as pages show it, so that times given with different zones read as the
 * instants they are: a time with a zone in UTC ("2023-03-24T23:00+03:00" → "2023-03-24 20:00 UTC"),
 * a time without one as written and said to be so, a date alone as it is. The page keeps the time
 * as published beside it (in its title), and the exports keep it as published.
 */
export function publishedInUtc(published: string | null): string {
  const read = readPublished(published);
  if (read === null) return '';
  if ('text' in read) return read.text;
  if (read.time === undefined) return read.date;
  // "HH:MM:SS.mmm", shortened to what it says: minutes, seconds, or milliseconds.
  const clock = (hms: string) => (hms.slice(5) === ':00.000' ? hms.slice(0, 5) : hms.slice(0, hms.endsWith('.000') ? 8 : 12));
  if (read.utc === undefined) return `${read.date} ${clock(read.time)} (zone not given)`;
  return `${read.utc.slice(0, 10)} ${clock(read.utc.slice(11))} UTC`;
}
