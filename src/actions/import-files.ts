/**
 * A file to import, read as it streams in, never whole: a CSV (comma, semicolon or tab, found from
 * its first line; with or without a byte-order mark; CRLF or LF; quoted cells across lines) or a JSON
 * array of objects, as the JSON export writes it. Each row comes out as the
 * cells of the columns src/extract/tables.ts knows, with its place in the file for messages.
 */
import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { JSONParser } from '@streamparser/json';
import { CsvError, parse as parseCsv } from 'csv-parse';
import { Invalid } from '../errors.js';
import { detectDelimiter, type Header, type ImportColumn, looksLikeJson, missingColumns, readHeader, restoreFormula } from '../extract/tables.js';

export type ImportFormat = 'csv' | 'json';

/** A cell as the file gives it: CSV always text, JSON text, a number, true/false or null. */
export type Cell = string | number | boolean | null;

export interface ImportRecord {
  /** The row's number among the rows (1 for the first after a CSV's header, or a JSON array's first item). */
  row: number;
  /** The CSV line the row starts on (the header is line 1); JSON items have none. */
  line?: number;
  /** The cells of the known columns the row has. A column the row lacks is left out: the import then keeps what is stored. */
  cells: Partial<Record<ImportColumn, Cell>>;
  /** Each column's name as the file writes it, for messages. */
  labels: Partial<Record<ImportColumn, string>>;
  /** What is wrong with the row as a whole, found while reading it (more cells than columns, a JSON item that is no object). */
  problem?: string;
  /** A CSV row with fewer cells than the header has columns: fine for a new claim, not for one it updates. */
  missingCells?: number;
}

export interface ImportTable {
  format: ImportFormat;
  /** For a CSV, its delimiter. */
  delimiter?: string;
  /** Column names the import does not know and reads past (a CSV's; a JSON file's first item's, once it is read). */
  ignored: string[];
  /** The rows, read from the file as they are asked for; each call reads it again from the start. */
  rows: () => AsyncIterable<ImportRecord>;
}

/** How much of the start of a file is looked at to tell CSV from JSON and to find the delimiter. */
const SNIFF_BYTES = 64 * 1024;

/** Opens `file` for import: checked to be UTF-8 text with rows to read, its format found (or as given). */
export async function openImportFile(file: string, given?: ImportFormat): Promise<ImportTable> {
  const start = await readStart(file);
  // trim() takes the byte-order mark too.
  if (start.trim() === '') throw fileProblem('The file is empty: there is nothing to import');
  const format = given ?? (looksLikeJson(start) ? 'json' : 'csv');
  return format === 'json' ? jsonTable(file) : csvTable(file, start);
}

function fileProblem(message: string): Invalid {
  return new Invalid(`${message}. Nothing was imported.`, [{ path: 'file', message }]);
}

/** The first SNIFF_BYTES of the file as text, refused if it is not UTF-8 text. */
async function readStart(file: string): Promise<string> {
  const handle = await fs.promises.open(file);
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    const bytes = buffer.subarray(0, bytesRead);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let text: string;
    try {
      // A multi-byte character cut at the end of the sample is not an error: `stream` keeps it back.
      text = decoder.decode(bytes, { stream: bytesRead === SNIFF_BYTES });
    } catch {
      throw notText();
    }
    if (text.includes('\u0000')) throw notText();
    return text;
  } finally {
    await handle.close();
  }
}

function notText(): Invalid {
  return fileProblem('The file is not UTF-8 text: upload a CSV or JSON file (a spreadsheet saved "CSV UTF-8", or a Claimgrid export)');
}

/**
 * The file's bytes as text, refused (with the byte it fails at) where it is not UTF-8 or holds NUL
 * characters: a binary file renamed .csv, or a spreadsheet saved in a legacy encoding.
 */
function utf8Text(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding: string, done: TransformCallback) {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        return done(fileProblem(`The file is not UTF-8 text after byte ${bytes}: save it as UTF-8 ("CSV UTF-8" in spreadsheet programs)`));
      }
      bytes += chunk.length;
      if (text.includes('\u0000')) return done(notText());
      done(null, text);
    },
    flush(done: TransformCallback) {
      try {
        const rest = decoder.decode();
        done(null, rest === '' ? undefined : rest);
      } catch {
        done(fileProblem('The file ends in the middle of a character: it is not UTF-8 text'));
      }
    },
  });
}

const LINE_BREAKS = /\r\n|\n|\r/g;

function csvTable(file: string, start: string): ImportTable {
  // Blank lines before the header are passed over, and the line "sep=;" that Excel writes (and reads) to name the delimiter.
  const lines = start.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let at = lines.findIndex((line) => line.trim() !== '');
  const named = /^sep=(.)$/i.exec(lines[at]?.trim() ?? '')?.[1];
  if (named !== undefined) at = lines.findIndex((line, index) => index > at && line.trim() !== '');
  const headerLine = lines[at] ?? '';
  const delimiter = named ?? detectDelimiter(headerLine);
  const header = readHeader(splitHeader(headerLine, delimiter));
  checkHeader(header);
  return { format: 'csv', delimiter, ignored: header.ignored, rows: () => csvRecords(file, delimiter, header, at + 1) };
}

/** The header's cells (a header is one line; its names may be quoted). */
function splitHeader(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let at = 0; at < line.length; at++) {
    const character = line[at]!;
    if (character === '"') {
      if (quoted && line[at + 1] === '"') {
        cell += '"';
        at++;
      } else quoted = !quoted;
    } else if (character === delimiter && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += character;
  }
  cells.push(cell);
  return cells;
}

function checkHeader(header: Header): void {
  const known = header.columns.filter((column) => column !== undefined).length;
  if (known === 0) {
    throw fileProblem(
      'No column of the first line is one Claimgrid knows: the first line must name the columns, e.g. incident, source, facet, statement, value (see the import help for all of them)',
    );
  }
  const missing = missingColumns(header);
  if (missing.length > 0) throw fileProblem(`The file has no ${missing.join(', no ')} column`);
  if (header.repeated.length > 0) throw fileProblem(`The column${header.repeated.length === 1 ? '' : 's'} ${header.repeated.map((name) => `"${name}"`).join(', ')} appear${header.repeated.length === 1 ? 's' : ''} twice: keep one`);
}

/** The rows below the header, which is on line `headerLine` (1 for most files). */
async function* csvRecords(file: string, delimiter: string, header: Header, headerLine: number): AsyncGenerator<ImportRecord> {
  // relax_quotes: a quote inside a cell that is not quoted (5" shells) is part of the text, as spreadsheets read it.
  const parser = parseCsv({
    bom: true, delimiter, relax_column_count: true, relax_quotes: true, raw: true, record_delimiter: ['\r\n', '\n', '\r'], from_line: headerLine,
  });
  const rows = fs.createReadStream(file).pipe(utf8Text()).pipe(parser);
  let line = headerLine;
  let row = 0;
  let first = true;
  try {
    for await (const { record, raw } of rows as AsyncIterable<{ record: string[]; raw: string }>) {
      const startsOn = line;
      line += raw.match(LINE_BREAKS)?.length ?? 0;
      if (first) {
        first = false;
        continue;
      }
      // Blank lines, and the rows of empty cells spreadsheets leave at the end.
      if (record.every((cell) => cell.trim() === '')) continue;
      row += 1;
      const cells: Partial<Record<ImportColumn, Cell>> = {};
      header.columns.forEach((column, index) => {
        if (column !== undefined) cells[column] = restoreFormula(record[index] ?? '');
      });
      if (record.length > header.columns.length && record.slice(header.columns.length).some((cell) => cell.trim() !== '')) {
        const problem = `The row has ${record.length} cells, more than the ${header.columns.length} columns the first line names: a delimiter inside a cell that is not quoted?`;
        yield { row, line: startsOn, cells, labels: header.labels, problem };
        continue;
      }
      const missing = header.columns.length - record.length;
      yield { row, line: startsOn, cells, labels: header.labels, ...(missing > 0 ? { missingCells: missing } : {}) };
    }
  } catch (error) {
    if (error instanceof Invalid) throw error;
    const { code, lines } = error as { code?: string; lines?: number };
    if (code === 'CSV_QUOTE_NOT_CLOSED') throw fileProblem(`A quote opened after line ${line - 1} is never closed: the file ends inside a quoted cell`);
    if (error instanceof CsvError || (typeof code === 'string' && code.startsWith('CSV_'))) {
      throw fileProblem(`The file could not be read as CSV near line ${lines ?? line}: ${(error as Error).message}`);
    }
    throw error;
  }
}

/** A JSON row's keys matched to columns once per distinct set of keys, not once per row. */
function jsonHeaders(): (keys: string[]) => Header {
  const seen = new Map<string, Header>();
  return (keys) => {
    const signature = keys.join('\u0000');
    let header = seen.get(signature);
    if (!header) seen.set(signature, (header = readHeader(keys)));
    return header;
  };
}

function jsonTable(file: string): ImportTable {
  const table: ImportTable = { format: 'json', ignored: [], rows: () => jsonRecords(file, (ignored) => (table.ignored = ignored)) };
  return table;
}

async function* jsonRecords(file: string, ignoredColumns: (names: string[]) => void): AsyncGenerator<ImportRecord> {
  // Each item of the top-level array handed on and then forgotten (not kept in the array).
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  const items: unknown[] = [];
  let notList = false;
  parser.onValue = ({ value, key }) => {
    if (typeof key === 'number') items.push(value);
    else notList = true;
  };
  const headerOf = jsonHeaders();
  let row = 0;
  try {
    for await (const text of fs.createReadStream(file).pipe(utf8Text()) as AsyncIterable<string>) {
      parser.write(text.replace(/^\uFEFF/, ''));
      if (notList) break;
      for (const value of items.splice(0)) {
        row += 1;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          yield { row, cells: {}, labels: {}, problem: 'Each item must be an object of fields ({"facet": …, "statement": …})' };
          continue;
        }
        const keys = Object.keys(value);
        const header = headerOf(keys);
        if (row === 1) {
          if (header.columns.every((column) => column === undefined)) {
            throw fileProblem('No field of the first item is one Claimgrid knows: each item must have fields such as incident, source, facet, statement, value');
          }
          ignoredColumns(header.ignored);
        }
        if (header.repeated.length > 0) {
          yield { row, cells: {}, labels: header.labels, problem: `The item names ${header.repeated.map((name) => `"${name}"`).join(', ')} beside another name for the same field: keep one` };
          continue;
        }
        // The JSON export writes text as stored: nothing to restore.
        const cells: Partial<Record<ImportColumn, Cell>> = {};
        header.columns.forEach((column, index) => {
          if (column !== undefined) cells[column] = (value as Record<string, unknown>)[keys[index]!] as Cell;
        });
        yield { row, cells, labels: header.labels };
      }
    }
    if (!notList && !parser.isEnded) parser.end();
  } catch (error) {
    if (error instanceof Invalid) throw error;
    throw fileProblem(`The file is not valid JSON${row > 0 ? ` after item ${row}` : ''}: ${(error as Error).message}`);
  }
  if (notList || (row === 0 && !parser.isEnded)) throw fileProblem('The JSON file must be a list of claims: [{…}, {…}], as the JSON export writes it');
  if (row === 0) throw fileProblem('The JSON file holds no claims');
}
