import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Text made safe to put between HTML tags or in an attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// Raw HTML typed into a summary is shown as the text it is (an analyst quoting a "<script>" they
// found reads it, not loses it); the sanitizer below is the second line of defence.
const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
  },
});

// An allow-list: anything Markdown can produce that is harmless, nothing that runs or loads
// (no raw <script>/<iframe>/<svg>, no event handlers, no javascript: or data: links, no images
// that would call a third-party server when an analyst opens the page).
const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr', 'strong', 'em', 'del', 'code', 'pre', 'blockquote',
    'ul', 'ol', 'li', 'h2', 'h3', 'h4', 'h5', 'h6', 'a',
    'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }),
    h1: 'h2',
  },
};

/** Markdown → HTML that is safe to put in a page unescaped. */
export function renderMarkdown(source: string | null | undefined): string {
  if (!source) return '';
  return sanitizeHtml(markdown.parse(source) as string, ALLOWED);
}
