/** The forms a document's text can arrive in. It is stored and shown as text in every case. */
export const DOCUMENT_FORMATS = ['text', 'markdown', 'html'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
