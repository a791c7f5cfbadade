/**
 * The zod schemas for everything a request can carry. Forms and the JSON API share them: a form's
 * fields arrive as strings, JSON may carry numbers and nulls, and both end up as the same typed value.
 */
import { z } from 'zod';
import { FACET_STATUSES, RELATIONS } from '../compare/comparison.js';
import { readTimestamp } from '../compare/timestamps.js';
import { GRADES } from '../db/assessments.js';
import { SOURCE_KINDS } from '../db/sources.js';
import { ROLES } from '../db/users.js';
import { type FieldIssue, Invalid, NotFound, VersionRequired } from '../errors.js';

/** Form fields left empty arrive as ''; JSON may send null. Both mean "not given". */
function blankToUndefined(input: unknown): unknown {
  if (input === null) return undefined;
  if (typeof input === 'string' && input.trim() === '') return undefined;
  return input;
}

/**
 * Half of a UTF-16 pair on its own (JSON can carry "\ud800"): it is no character, and other SQLite
 * clients fail on it. Under the u flag, \p{Cs} matches only such halves.
 */
const BROKEN_CHARACTER = /\p{Cs}/u;

function text(label: string, max: number, required: boolean) {
  return z
    .string({ error: (issue) => (required && issue.input === undefined ? `${label} is required` : `${label} must be text`) })
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .refine((given) => !BROKEN_CHARACTER.test(given), `${label} contains a broken character (half of a UTF-16 pair)`)
    .refine((given) => !given.includes('\u0000'), `${label} must not contain NUL characters`);
}

function requiredText(label: string, max: number) {
  return z.preprocess(blankToUndefined, text(label, max, true));
}

function optionalText(label: string, max: number) {
  return z.preprocess(blankToUndefined, text(label, max, false).optional());
}

/**
 * Characters that show nothing, or only reorder what is shown, yet make two names differ: controls
 * (NUL among them), the soft hyphen, zero-width space, word joiners, byte-order mark, and the
 * direction marks, embeddings, overrides and isolates. Zero-width non-joiner and joiner stay:
 * Persian, Arabic and Indic names need them.
 */
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

/**
 * A name that decides what counts as the same (a source, an outlet, an affiliation, a facet):
 * NFC-normalised, invisible characters dropped, white space folded, so that "Reuters" with a
 * zero-width space in it is not a second, independent source.
 */
export function cleanName(given: string): string {
  return given.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

function nameInput(given: unknown): unknown {
  return blankToUndefined(typeof given === 'string' ? cleanName(given) : given);
}

function requiredName(label: string, max: number) {
  return z.preprocess(nameInput, text(label, max, true));
}

function optionalName(label: string, max: number) {
  return z.preprocess(nameInput, text(label, max, false).optional());
}

/**
 * What a URL may not contain as typed: white space, backslashes, controls and invisible or
 * direction-changing characters. The zero-width (non-)joiners of Persian words are allowed: the
 * parser percent-encodes them in a path and refuses misplaced ones in a host.
 */
const URL_TRAPS = /[\s\\\p{Cc}\p{Cs}\u00AD\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;

/**
 * An http(s) address, stored as the WHATWG URL parser gives it back (host lower-cased, an
 * international host in its xn-- form, so a look-alike shows). Refused: what the parser would read
 * otherwise than a person does ("http:/evil", "https:evil.example", a backslash, user@host before
 * the host, hidden characters).
 */
function optionalHttpUrl(label: string) {
  return z.preprocess(
    blankToUndefined,
    z
      .string({ error: `${label} must be text` })
      .trim()
      .max(2000, `${label} must be at most 2000 characters`)
      .transform((given, context) => {
        const refuse = (message: string) => {
          context.addIssue({ code: 'custom', message: `${label} ${message}` });
          return z.NEVER;
        };
        if (!/^https?:\/\/[^/]/i.test(given)) return refuse('must be a full http:// or https:// address');
        if (URL_TRAPS.test(given)) return refuse('must not contain spaces, backslashes or invisible characters');
        if (!URL.canParse(given)) return refuse('must be a full http:// or https:// address');
        const url = new URL(given);
        if (url.username !== '' || url.password !== '') return refuse('must not have a user name or password before the host (user@host)');
        return url.href;
      })
      .optional(),
  );
}

/** Ids arrive as numbers (JSON) or digit strings (forms, URLs). */
function idNumber(input: unknown): unknown {
  const given = blankToUndefined(input);
  return typeof given === 'string' && /^\s*\d+\s*$/.test(given) ? Number(given) : given;
}

function id(label: string) {
  return z
    .number({ error: (issue) => (issue.input === undefined ? `${label} is required` : `${label} must be an id number`) })
    .int(`${label} must be an id number`)
    .positive(`${label} must be an id number`)
    .max(Number.MAX_SAFE_INTEGER, `${label} must be an id number`);
}

export const Id = z.preprocess(idNumber, id('Id'));

function requiredId(label: string) {
  return z.preprocess(idNumber, id(label));
}

function optionalId(label: string) {
  return z.preprocess(idNumber, id(label).optional());
}

function optionalDate(label: string) {
  return z.preprocess(
    blankToUndefined,
    z
      .string({ error: `${label} must be text` })
      .trim()
      .refine((text) => {
        const timestamp = readTimestamp(text);
        return timestamp !== undefined && timestamp.time === undefined;
      }, `${label} must be a date written YYYY-MM-DD`)
      .optional(),
  );
}

function optionalDateTime(label: string) {
  return z.preprocess(
    blankToUndefined,
    z
      .string({ error: `${label} must be text` })
      .trim()
      .refine(
        (text) => readTimestamp(text) !== undefined,
        `${label} must be a date (YYYY-MM-DD) or date and time (YYYY-MM-DDTHH:MM, optionally with seconds and a zone)`,
      )
      .transform((text) => text.replace(' ', 'T'))
      .optional(),
  );
}

/** A place in a document's text: a character offset, from forms as digits. */
function optionalOffset(label: string) {
  return z.preprocess(
    idNumber,
    z
      .number({ error: `${label} must be a whole number of characters` })
      .int(`${label} must be a whole number of characters`)
      .min(0, `${label} must be a whole number of characters`)
      .max(10_000_000, `${label} must be a whole number of characters`)
      .optional(),
  );
}

const Kind = z.preprocess(
  blankToUndefined,
  z.enum(SOURCE_KINDS, { error: `Kind must be one of: ${SOURCE_KINDS.join(', ')}` }).default('other'),
);

export const SourceInput = z.object({
  name: requiredName('Name', 200),
  kind: Kind,
  affiliation: optionalName('Affiliation', 200),
  url: optionalHttpUrl('Home URL'),
  notes: optionalText('Notes', 5000),
});
export type SourceInput = z.infer<typeof SourceInput>;

/** Deeper than this, nested quotes are a way to make every browser that shows the page struggle, not a summary. */
const MAX_QUOTE_DEPTH = 20;

/** How deep a Markdown text nests block quotes: the most ">" markers opening one of its lines. */
function quoteDepth(markdown: string): number {
  return Math.max(0, ...markdown.split('\n').map((line) => /^[ \t>]*/.exec(line)![0].replace(/[ \t]/g, '').length));
}

export const IncidentInput = z.object({
  title: requiredText('Title', 300),
  occurred_on: optionalDate('Date'),
  location: optionalText('Location', 300),
  summary: optionalText('Summary', 20000).refine(
    (summary) => summary === undefined || quoteDepth(summary) <= MAX_QUOTE_DEPTH,
    `Summary nests quotes (>) more than ${MAX_QUOTE_DEPTH} deep`,
  ),
});
export type IncidentInput = z.infer<typeof IncidentInput>;

/**
 * A new source's kind, named by whoever names the source: no default, so that no source is quietly
 * filed as a government or as "other" because a form or a script left the kind out.
 */
const NewSourceKind = z.preprocess(
  blankToUndefined,
  z.enum(SOURCE_KINDS, { error: `New source kind must be one of: ${SOURCE_KINDS.join(', ')}` }).optional(),
);

/** A claim's own fields, as forms, the API and imports give them. */
const ClaimContent = {
  facet: requiredName('Facet', 200),
  text: requiredText('Statement', 10000),
  quote: optionalText('Quote', 10000),
  value: optionalText('Value', 200),
  published_at: optionalDateTime('Published'),
  url: optionalHttpUrl('URL'),
  archive_url: optionalHttpUrl('Archive URL'),
  document_id: optionalId('Document'),
  span_start: optionalOffset('Span start'),
  span_end: optionalOffset('Span end'),
};

type Span = { document_id?: number | undefined; span_start?: number | undefined; span_end?: number | undefined };

/** A span names both its ends, in order, and the document it is in. */
function checkSpan(claim: Span, context: z.RefinementCtx): void {
  if ((claim.span_start === undefined) !== (claim.span_end === undefined)) {
    context.addIssue({ code: 'custom', path: [claim.span_start === undefined ? 'span_start' : 'span_end'], message: 'Give both ends of the span, or neither' });
  } else if (claim.span_start !== undefined && claim.span_end !== undefined && claim.span_start >= claim.span_end) {
    context.addIssue({ code: 'custom', path: ['span_end'], message: 'Span end must be after span start' });
  }
  if (claim.span_start !== undefined && claim.document_id === undefined) {
    context.addIssue({ code: 'custom', path: ['document_id'], message: 'A span needs the document it is in' });
  }
}

/**
 * A claim names its source by id, or (from the form) names a new source to create with it, with
 * its kind; likewise for the outlet it came through.
 */
export const ClaimInput = z
  .object({
    source_id: optionalId('Source'),
    new_source_name: optionalName('New source name', 200),
    new_source_kind: NewSourceKind,
    new_source_affiliation: optionalName('New source affiliation', 200),
    via_source_id: optionalId('Via'),
    new_via_name: optionalName('New outlet name', 200),
    ...ClaimContent,
  })
  .superRefine((claim, context) => {
    checkSpan(claim, context);
    if (claim.source_id === undefined && claim.new_source_name === undefined) {
      context.addIssue({ code: 'custom', path: ['source_id'], message: 'Choose a source, or name a new one' });
    }
    if (claim.source_id !== undefined && claim.new_source_name !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['new_source_name'],
        message: 'Leave the new source name empty when you choose an existing source',
      });
    }
    if (claim.via_source_id !== undefined && claim.new_via_name !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['new_via_name'],
        message: 'Leave the new outlet name empty when you choose an existing outlet',
      });
    }
    if (claim.via_source_id !== undefined && claim.via_source_id === claim.source_id) {
      context.addIssue({ code: 'custom', path: ['via_source_id'], message: 'A source cannot come through itself' });
    }
  }, {
    // Run even when other fields are bad, so the form names every problem at once.
    when: () => true,
  });
export type ClaimInput = z.infer<typeof ClaimInput>;

/**
 * The most claims one batch may save: an article's worth many times over, and a write short enough
 * for the event loop (measured: docs/decisions/009-use-cases-route-table-named-errors.md).
 */
export const MAX_CLAIMS_PER_BATCH = 200;

/** Many claims saved together, all or none: each item is checked as a ClaimInput. */
export const ClaimBatchInput = z.object({
  claims: z
    .array(z.unknown(), { error: 'Claims must be a list of claims' })
    .min(1, 'Claims must hold at least one claim')
    .max(MAX_CLAIMS_PER_BATCH, `Claims must hold at most ${MAX_CLAIMS_PER_BATCH} claims`),
});

/**
 * A row of an imported file (src/actions/imports.ts), by the export's column names: the claim's
 * own fields checked as a form's are, and the columns that name its incident, source and outlet
 * (by id, or by name or slug). A number in a text column (a value of 10) is read as its digits.
 */
export const ImportRow = z
  .object({
    claim_id: optionalId('Claim id'),
    incident_id: optionalId('Incident id'),
    incident_slug: optionalText('Incident slug', 300),
    incident_title: optionalName('Incident title', 300),
    incident: optionalName('Incident', 300),
    source_id: optionalId('Source id'),
    source: optionalName('Source', 200),
    // Any case: a spreadsheet's "ngo" or "Media" is the kind meant.
    source_kind: z.preprocess(
      (given) => {
        const kind = blankToUndefined(given);
        return typeof kind === 'string' ? (SOURCE_KINDS.find((known) => known.toLowerCase() === kind.trim().toLowerCase()) ?? kind) : kind;
      },
      z.enum(SOURCE_KINDS, { error: `Source kind must be one of: ${SOURCE_KINDS.join(', ')}` }).optional(),
    ),
    source_affiliation: optionalName('Source affiliation', 200),
    via_source_id: optionalId('Via source id'),
    via: optionalName('Via', 200),
    created_at: optionalText('Created at', 40),
    ...ClaimContent,
    statement: ClaimContent.text,
  })
  .omit({ text: true })
  // Run even when other cells are bad, so that a row's every problem is named at once.
  .superRefine(checkSpan, { when: () => true });
export type ImportRow = z.infer<typeof ImportRow>;

/** `?dry_run=1` previews an import; `expect` (the preview's digest) refuses it if anything changed since. */
export const ImportQuery = z.object({
  dry_run: z.preprocess(blankToUndefined, z.enum(['0', '1', 'true', 'false'], { error: 'dry_run must be 1 or 0' }).optional()).transform((given) => given === '1' || given === 'true'),
  expect: z.preprocess(blankToUndefined, z.string().regex(/^[0-9a-f]{64}$/, 'expect must be the digest a dry run returned (64 hexadecimal digits)').optional()),
});

/** The import form's own fields besides its file: rows pasted (the CSRF token is the guard's). */
export const ImportFormInput = z.object({ text: z.string().optional() }).loose();

/** The import page, told that the preview a link named is no longer kept. */
export const ImportPageQuery = z.object({ expired: z.enum(['1'], { error: 'expired must be 1' }).optional() });

/** The form that applies a previewed import: the digest of what the preview showed. */
export const ImportApplyInput = z.object({
  digest: z.string({ error: 'The preview’s digest is missing: preview the file again' }).regex(/^[0-9a-f]{64}$/, 'The preview’s digest is not one: preview the file again'),
});

/**
 * A document as typed into its form or sent to the API. The text may instead come as an uploaded
 * file, which the web layer reads into `text` first; its size is checked before this (TooLarge).
 * The outlet is an existing source by id, or a name (an existing source's, or a new one's).
 */
export const DocumentInput = z
  .object({
    title: optionalName('Title', 500),
    outlet_source_id: optionalId('Outlet'),
    outlet_name: optionalName('Outlet', 200),
    url: optionalHttpUrl('URL'),
    archive_url: optionalHttpUrl('Archive URL'),
    published_at: optionalDateTime('Published'),
    text: z.preprocess(blankToUndefined, z.string({ error: (issue) => (issue.input === undefined ? 'Text is required: paste it, or upload a .txt, .html or .md file' : 'Text must be text') })),
  })
  .superRefine((document, context) => {
    if (document.outlet_source_id !== undefined && document.outlet_name !== undefined) {
      context.addIssue({ code: 'custom', path: ['outlet_name'], message: 'Name the outlet once: by id or by name' });
    }
  }, { when: () => true });
export type DocumentInput = z.infer<typeof DocumentInput>;

/** `POST /api/extract`: a text to read, with what the proposals should be matched against. */
export const ExtractInput = z.object({
  text: z.preprocess(blankToUndefined, z.string({ error: (issue) => (issue.input === undefined ? 'Text is required' : 'Text must be text') })),
  outlet: optionalName('Outlet', 200),
  published_at: optionalDateTime('Published'),
  incident_id: optionalId('Incident'),
});
export type ExtractInput = z.infer<typeof ExtractInput>;

/** The most proposals one review page shows and saves: a long article's worth, and a form a browser handles. */
export const PROPOSALS_PER_PAGE = 60;

/** One row of the review form: a proposal as the analyst left it. Sources and outlets are named, existing or new. */
export const ReviewRow = z.object({
  take: z.preprocess((input) => input === 'on' || input === true || input === '1', z.boolean()),
  source: z.preprocess(nameInput, z.string().optional()),
  source_kind: z.unknown().optional(),
  via: z.preprocess(nameInput, z.string().optional()),
  // The rest is checked as the claim it becomes (ClaimInput), so every problem of a row is named at once.
  facet: z.unknown().optional(),
  value: z.unknown().optional(),
  statement: z.unknown().optional(),
  quote: z.unknown().optional(),
  published_at: z.unknown().optional(),
  span_start: z.unknown().optional(),
  span_end: z.unknown().optional(),
});
export type ReviewRow = z.infer<typeof ReviewRow>;

export const ReviewInput = z.object({
  rows: z
    .array(z.unknown(), { error: 'The review form came without its rows' })
    .max(PROPOSALS_PER_PAGE, `At most ${PROPOSALS_PER_PAGE} rows are saved at once`),
});

/** Which page of a document's proposals to review. */
export const ReviewQuery = z.object({
  page: z.preprocess(idNumber, z.number().int().positive().optional()).catch(undefined),
  /** ?existing=1: the text was stored before, and the page says so. */
  existing: z.literal('1').optional().catch(undefined),
});

/** Optional values to pre-fill the new-claim form, e.g. from an "Add claim" link in a grid cell. */
export const NewClaimQuery = z.object({
  facet: z.string().max(200).optional().catch(undefined),
  source_id: Id.optional().catch(undefined),
});

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  const issues = error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
  // Two checks can fail on one value with the same words (1e300 is neither whole nor in range).
  return issues.filter((issue, index) => issues.findIndex((other) => other.path === issue.path && other.message === issue.message) === index);
}

/** `{facet: "Facet is required", …}`, the first message per field, for showing beside form fields. */
export function messagesByField(issues: FieldIssue[]): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const issue of issues) messages[issue.path] ??= issue.message;
  return messages;
}

/** Parses with `schema`, or throws Invalid with issues that name each bad field. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, what: string): z.output<Schema> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    const message = `The ${what} must be sent as an object of fields`;
    throw new Invalid(`Invalid ${what}: ${message}`, [{ path: '(body)', message }]);
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = fieldIssues(result.error);
  throw new Invalid(`Invalid ${what}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, issues);
}

/** A URL's numeric id; /claims/abc names nothing, just as /claims/999 does. */
export function parseId(raw: unknown, what: string): number {
  const result = Id.safeParse(raw);
  if (!result.success) throw new NotFound(`${what} not found`);
  return result.data;
}

/** ?saved=<claim id> after a claim form, to confirm what was saved; anything else is ignored. */
/** ?page=N of a page shown in parts. */
const PageNumber = z.coerce.number({ error: 'Page must be a whole number from 1' }).int('Page must be a whole number from 1').min(1, 'Page must be a whole number from 1').optional();

export const IncidentPageQuery = z.object({
  saved: Id.optional().catch(undefined),
  /** ?added=1,2,3 after claims were saved together (from a document's review): each is marked new. */
  added: z
    .string()
    .max(2000)
    .transform((list) => list.split(',').map(Number).filter((id) => Number.isSafeInteger(id) && id > 0).slice(0, PROPOSALS_PER_PAGE))
    .optional()
    .catch(undefined),
  /** Open the grid on the page that holds this claim. */
  claim: Id.optional().catch(undefined),
  page: PageNumber,
  /** The grid's view (see web/grid.ts GridView): a value not offered shows everything rather than nothing. */
  only: z.enum(['contradictions']).optional().catch(undefined),
  hide: z.enum(['single']).optional().catch(undefined),
  kind: z.preprocess(blankToUndefined, z.string().max(200).optional()).catch(undefined),
  affiliation: z.preprocess(blankToUndefined, z.string().max(200).optional()).catch(undefined),
  order: z.enum(['affiliation']).optional().catch(undefined),
});

/** The list of incidents: sorted by date (the default), most contradictions or latest change; `q` matches title or location. */
export const IncidentListQuery = z.object({
  sort: z.enum(['date', 'contradictions', 'changed']).optional().catch(undefined),
  q: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()).catch(undefined),
});

/** A calendar date, YYYY-MM-DD: 2023-02-30 is refused, not read as 2 March. */
const SearchDate = (label: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date like 2023-03-24`)
      .refine((date) => {
        // A text that is no date at all has had its message from the pattern.
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return true;
        const day = new Date(`${date}T00:00:00Z`);
        return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(date);
      }, `${label} must be a date that exists, like 2023-03-24`)
      .optional(),
  );

/**
 * A search (/search and /api/search): the words, which group of results to page through, and the
 * filters. Unlike a page's view parameters a bad filter is refused, not ignored: a search that
 * silently dropped a filter would show results the person asked to leave out.
 */
export const SearchQuery = z
  .object({
    q: z.preprocess(blankToUndefined, z.string().trim().max(500, 'A search can be at most 500 characters long').optional()),
    type: z.preprocess(blankToUndefined, z.enum(['all', 'incidents', 'claims', 'sources', 'documents'], {
      error: 'Type must be one of: all, incidents, claims, sources, documents',
    }).default('all')),
    page: PageNumber,
    source: z.preprocess(blankToUndefined, z.string().regex(/^[1-9]\d{0,15}$/, 'Source must be a source id').transform(Number).optional()),
    kind: z.preprocess(blankToUndefined, z.enum(SOURCE_KINDS, { error: `Kind must be one of: ${SOURCE_KINDS.join(', ')}` }).optional()),
    affiliation: z.preprocess(blankToUndefined, z.string().trim().max(200, 'Affiliation is too long').optional()),
    status: z.preprocess(blankToUndefined, z.enum(FACET_STATUSES, { error: `Status must be one of: ${FACET_STATUSES.join(', ')}` }).optional()),
    from: SearchDate('From'),
    to: SearchDate('To'),
  })
  .refine(({ from, to }) => !from || !to || from <= to, { message: 'To must not be before From', path: ['to'] });

/** ?page=N of a source's page: its claims, SOURCE_CLAIMS_PER_PAGE of each list a page. */
export const SourcePageQuery = z.object({ page: PageNumber });

/**
 * ?kind=&affiliation= on the agreement matrix and its exports. Unlike the grid's view, a value that
 * is not one is refused, naming the field: an export filtered by a misspelt kind would be empty.
 */
export const AgreementQuery = z.object({
  kind: z.preprocess(blankToUndefined, z.enum(SOURCE_KINDS, { error: `Kind must be one of: ${SOURCE_KINDS.join(', ')}` }).optional()),
  affiliation: optionalName('Affiliation', 200),
});

/** ?facet=<facet key> on an incident's pairs page. */
export const FacetQuery = z.object({
  facet: z.string({ error: 'Say which facet: ?facet=…' }).max(200, 'Facet is too long'),
});

/** Two claims of one incident, as a pair to compare or to judge. */
export const ClaimPairInput = z.object({
  a: requiredId('Claim a'),
  b: requiredId('Claim b'),
});

export const RelationInput = ClaimPairInput.extend({
  relation: z.enum(RELATIONS, { error: `Relation must be one of: ${RELATIONS.join(', ')}` }),
  reason: requiredText('Reason', 2000),
  /**
   * The judgement the analyst saw when they started: "none", or its time. The form always sends it;
   * an API client may, and then a judgement set by someone else since is refused, not overwritten.
   */
  based_on: optionalText('Based on', 100),
});

/** An analyst's assessment of one facet: its best value, a grade and why. */
export const AssessmentInput = z.object({
  facet: requiredName('Facet', 200),
  value: optionalText('Best value', 200),
  grade: z.enum(GRADES, { error: `Grade must be one of: ${GRADES.join(', ')}` }),
  reason: requiredText('Reason', 2000),
});
export type AssessmentInput = z.infer<typeof AssessmentInput>;

/**
 * The version of a facet's assessment an edit started from: 0 when the facet had none (the form
 * always sends it), so that one set by someone else meanwhile is not overwritten.
 */
export const AssessmentVersionInput = z.object({
  version: z.preprocess(idNumber, z.number({ error: 'Version must be a whole number' }).int('Version must be a whole number').min(0, 'Version must be 0 or more').max(Number.MAX_SAFE_INTEGER, 'Version is too large').optional()),
});

/** One facet of an incident, named by any of its spellings. */
export const FacetInput = z.object({ facet: requiredName('Facet', 200) });

/** A facet declared part of another ("civilians injured" part of "casualties"). */
export const FacetLinkInput = z.object({
  part: requiredName('Part', 200),
  whole: requiredName('Whole', 200),
});

/** A facet renamed, or merged into another by naming it. */
export const FacetRenameInput = z.object({
  facet: requiredName('Facet', 200),
  to: requiredName('New name', 200),
});

/** Where to go after signing in: only a path on this site, never another site ("//evil.example"). */
const LocalPath = z
  .string()
  .max(2000)
  .refine((path) => /^\/(?![/\\])/.test(path), 'must be a path on this site')
  .optional()
  .catch(undefined);

export const NextQuery = z.object({ next: LocalPath });

export const LoginInput = z.object({
  name: requiredText('Name', 100),
  password: z.string({ error: 'Password is required' }).min(1, 'Password is required').max(1000, 'Password is too long'),
  next: LocalPath,
});

export const PASSWORD_MIN = 12;

function newPassword() {
  return z
    .string({ error: 'Password is required' })
    .min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters`)
    .max(1000, 'Password must be at most 1000 characters');
}

const UserName = requiredText('Name', 100).refine((name) => !/[\p{Cc}]/u.test(name), 'Name must not contain control characters');

export const SetupInput = z.object({
  token: z.string({ error: 'The setup link is incomplete' }).min(1, 'The setup link is incomplete').max(200),
  name: UserName,
  password: newPassword(),
});

export const NewUserInput = z.object({
  name: UserName,
  role: z.enum(ROLES, { error: `Role must be one of: ${ROLES.join(', ')}` }),
  password: newPassword(),
});

export const RoleInput = z.object({
  role: z.enum(ROLES, { error: `Role must be one of: ${ROLES.join(', ')}` }),
});

/**
 * The version an edit started from: a form's hidden field, the API body's `version`, or an
 * If-Match header carrying the ETag ("3") of the version read.
 */
export const VersionInput = z.object({
  version: z.preprocess(idNumber, id('Version').optional()),
});

/** The version an edit started from; an edit that names none is refused (VersionRequired) rather than risk overwriting. */
export function editVersion(body: unknown, ifMatch: string | undefined): number {
  const version = parseVersion(body, ifMatch);
  if (version === undefined) {
    throw new VersionRequired('Say which version you are editing: send If-Match: "<version>" or a "version" field', [
      { path: 'version', message: 'Version is required' },
    ]);
  }
  return version;
}

export function parseVersion(body: unknown, ifMatch: string | undefined): number | undefined {
  if (ifMatch !== undefined) {
    // At most 15 digits: a version is a safe integer, and a longer one is a malformed header, not a stale edit.
    const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(ifMatch);
    if (!match) {
      throw new Invalid('If-Match must be the ETag of the version you read, e.g. "3"', [
        { path: 'If-Match', message: 'must be an ETag such as "3"' },
      ]);
    }
    return Number(match[1]);
  }
  return parseInput(VersionInput, fieldsOf(body), 'edit').version;
}

/** A body's fields: the object sent, or none for a body that is not an object (its own schema says what is missing). */
export function fieldsOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
