/**
 * Uploaded files to plain text: a .txt or .md file as it is, an .html file reduced to its readable
 * text (html-to-text, on htmlparser2: scripts, styles and everything else that is not text dropped).
 * The text is never rendered as HTML after this; it is stored and shown as text.
 */
import { convert } from 'html-to-text';
import { normaliseText, problemWithText } from './texts.js';

/** The forms a document's text can arrive in; it is stored and shown as text in every case. */
export type DocumentFormat = 'text' | 'markdown' | 'html';

export type FileReading = { text: string; format: DocumentFormat; title: string | null } | { problem: string };

const SIGNATURES: [bytes: number[], what: string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (or a Word or OpenDocument file)'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x52, 0x49, 0x46, 0x46], 'a media file'],
  [[0x7f, 0x45, 0x4c, 0x46], 'a program'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Word or Excel file'],
];

/** The format a file's name says it is in, or undefined for one this does not read. */
export function formatOfFileName(name: string): DocumentFormat | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (extension === 'txt' || extension === 'text') return 'text';
  if (extension === 'md' || extension === 'markdown') return 'markdown';
  if (extension === 'html' || extension === 'htm') return 'html';
  return undefined;
}

/** The file's text, or what is wrong with it, in words for the person who uploaded it. */
export function readUpload(name: string, bytes: Uint8Array): FileReading {
  const format = formatOfFileName(name);
  if (!format) return { problem: `“${name}” is not a .txt, .html or .md file: upload one of those, or paste the text` };
  if (bytes.length === 0) return { problem: `“${name}” is empty` };
  for (const [signature, what] of SIGNATURES) {
    if (signature.every((byte, i) => bytes[i] === byte)) return { problem: `“${name}” is ${what}, not text: upload a .txt, .html or .md file, or paste the text` };
  }
  const decoded = decode(bytes);
  if (decoded === undefined) return { problem: `“${name}” is not UTF-8 or UTF-16 text: save it as UTF-8 and upload it again` };
  if (format !== 'html') {
    const problem = problemWithText(decoded, `“${name}”`);
    return problem ? { problem } : { text: normaliseText(decoded), format, title: null };
  }
  const text = htmlToText(decoded);
  if (text.trim() === '') return { problem: `“${name}” has no readable text: only markup, scripts or styles` };
  const problem = problemWithText(text, `“${name}”`);
  return problem ? { problem } : { text, format, title: htmlTitle(decoded) };
}

function decode(bytes: Uint8Array): string | undefined {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

const SKIPPED = ['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'embed', 'canvas', 'head', 'nav', 'form', 'button', 'select', 'img', 'video', 'audio'];

/** The readable text of a page: paragraphs kept apart, links as their words, nothing that is not text. */
export function htmlToText(html: string): string {
  const text = convert(html, {
    wordwrap: false,
    preserveNewlines: false,
    selectors: [
      ...SKIPPED.map((selector) => ({ selector, format: 'skip' })),
      { selector: 'a', options: { ignoreHref: true } },
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
      { selector: 'ul', options: { itemPrefix: '• ' } },
    ],
  });
  return normaliseText(text).replace(/\n{3,}/g, '\n\n').trim();
}

function htmlTitle(html: string): string | null {
  const match = /<title[^>]*>([^<]{1,500})<\/title>/i.exec(html);
  if (!match) return null;
  const title = convert(match[1]!, { wordwrap: false }).trim();
  return title === '' ? null : title;
}
