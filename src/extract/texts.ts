/** Checks and normal form for a document's text, however it arrived (pasted or uploaded). */

/** What is wrong with a text to be stored as a document, or null: it must have words, and be text. */
export function problemWithText(text: string, what = 'The text'): string | null {
  if (text.trim() === '') return `${what} is empty`;
  if (text.includes('\u0000')) return `${what} contains NUL characters: it looks like a binary file, not text`;
  // What a decoder puts where bytes were not UTF-8: the text was sent in another encoding, and its letters are lost.
  if (text.includes('\uFFFD')) return `${what} contains replacement characters (\uFFFD) where letters were: it was not sent as UTF-8. Paste it again from the original, or upload the file`;
  // Text has line breaks and tabs; a binary file read as text has many other control characters.
  const controls = text.match(/[\u0001-\u0008\u000B\u000E-\u001F\u007F]/g)?.length ?? 0;
  if (controls > Math.max(8, text.length / 200)) return `${what} is full of control characters: it looks like a binary file, not text`;
  return null;
}

/** Line ends as \n, so that a sentence's place in the text is the same however it was pasted. */
export function normaliseText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}
