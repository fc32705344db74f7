// CSV import: parse the file (one error if it is not a subscriber CSV), check every row, then hand the valid ones to the store in one transaction.
import { CsvError, parse } from 'csv-parse/sync';
import { DigestError } from '../errors.ts';
import { addressProblem, emailKey } from './address.ts';
import { checkSubscriber, checkSubscriberWithPlace, splitKinds, type PlaceLookup, type RawSubscriber } from './input.ts';
import type { BulkAddResult, SubscriberFields } from './model.ts';

export const CSV_COLUMNS = ['email', 'name', 'timezone', 'kinds', 'location', 'radius'] as const;
/** What a header can be mapped to with --columns: the columns, and a first and last name joined into the name. */
export const MAPPABLE_FIELDS = [...CSV_COLUMNS, 'first', 'last'] as const;
type Field = (typeof MAPPABLE_FIELDS)[number];

/**
 * Who reads an unknown-column error, and so what it tells them to do: `cli` maps the headers with `--columns`;
 * `web` (the organizer's import page, which has no mapping) renames or deletes them in the file's first line.
 */
export type ImportFrom = 'cli' | 'web';

export interface CsvSubscriberRow {
  /** The line the record starts on (1 is the header). */
  line: number;
  raw: RawSubscriber;
  /** Set when the row cannot be read at all (e.g. too many fields). */
  problem?: string;
}

export interface Rejection {
  line: number;
  reason: string;
}

export interface ImportReport {
  imported: number;
  updated: number;
  rejected: Rejection[];
  /** Columns a `--columns` mapping left out (read past, not imported). */
  ignored?: string[];
}

/**
 * `--columns "Email Address=email,First Name=first"`: header (any case) to field. Throws
 * DigestError('USAGE') for a malformed mapping or an unknown field.
 */
export function parseColumnMapping(text: string): Map<string, Field> {
  const mapping = new Map<string, Field>();
  for (const part of text.split(',')) {
    const eq = part.lastIndexOf('=');
    const header = part.slice(0, eq).trim().toLowerCase();
    const field = part.slice(eq + 1).trim().toLowerCase();
    if (eq < 0 || header === '' || field === '') throw new DigestError('USAGE', `--columns: '${part.trim()}' is not HEADER=FIELD (e.g. "Email Address=email,First Name=first")`);
    if (!(MAPPABLE_FIELDS as readonly string[]).includes(field)) throw new DigestError('USAGE', `--columns: unknown field '${field}' for '${part.slice(0, eq).trim()}' (fields: ${MAPPABLE_FIELDS.join(', ')})`);
    mapping.set(header, field as Field);
  }
  return mapping;
}

/**
 * The rows of a subscriber CSV; throws DigestError('IMPORT_INVALID') naming FILE:LINE when the file as a whole is unusable.
 * With a column mapping, mapped headers become their fields and the other unknown columns are ignored (`ignored` names them).
 */
export function parseSubscriberCsv(text: string, file: string, mapping?: Map<string, Field>, from: ImportFrom = 'cli'): { rows: CsvSubscriberRow[]; ignored: string[] } {
  const fail = (line: number, why: string) => new DigestError('IMPORT_INVALID', `${file}:${line}: ${why}; nothing was imported`);
  if (text.includes('\u0000')) throw fail(1, 'not a CSV file (it holds binary data)');
  if (text.includes('\uFFFD')) throw fail(1, 'not a CSV file in UTF-8 (save it as "CSV UTF-8")');
  let records: { record: string[]; raw: string }[];
  try {
    records = parse(text, { bom: true, raw: true, relax_column_count: true }) as unknown as { record: string[]; raw: string }[];
  } catch (e) {
    if (e instanceof CsvError) throw fail((e as CsvError & { lines?: number }).lines ?? 1, `not valid CSV: ${e.message}`);
    throw e;
  }
  if (records.length === 0) throw fail(1, `the file is empty (it needs the header ${CSV_COLUMNS.join(',')})`);

  const headers = records[0].record.map((h) => h.trim());
  const known = `columns: ${CSV_COLUMNS.join(', ')}`;
  for (const wanted of mapping?.keys() ?? []) {
    if (!headers.some((h) => h.toLowerCase() === wanted)) throw fail(1, `--columns names '${wanted}', which is not in the header (${headers.join(', ')})`);
  }
  const fields: (Field | undefined)[] = headers.map((h) => mapping?.get(h.toLowerCase()) ?? ((CSV_COLUMNS as readonly string[]).includes(h.toLowerCase()) ? (h.toLowerCase() as Field) : undefined));
  const unknown = headers.filter((_, i) => fields[i] === undefined);
  if (unknown.length > 0 && !mapping) {
    const hint = headers.length === 1 && headers[0].includes(';') ? ', and the separator must be a comma' : '';
    const list = unknown.map((h) => `'${h}'`).join(', ');
    const remedy =
      from === 'cli'
        ? `map them with --columns "HEADER=FIELD,…" (fields: ${MAPPABLE_FIELDS.join(', ')})`
        : `in the file's first line, rename ${unknown.length === 1 ? 'it' : 'each'} to one of these columns or delete ${unknown.length === 1 ? 'it' : 'them'} (only email is required; any order, any case), then import the file again`;
    throw fail(1, `unknown column${unknown.length === 1 ? '' : 's'} ${list} in the header (${known}${hint}); ${remedy}`);
  }
  for (const [i, f] of fields.entries()) {
    if (f !== undefined && fields.indexOf(f) !== i) throw fail(1, `column '${f}' appears twice in the header`);
  }
  if (!fields.includes('email')) throw fail(1, `no 'email' column in the header (${known})`);

  const rows: CsvSubscriberRow[] = [];
  const width = headers.length;
  // csv-parse's own line count drifts on CRLF inside quotes, so count the breaks of each raw record.
  let line = 1 + lineSpan(records[0].raw);
  for (const { record, raw } of records.slice(1)) {
    const start = line;
    line += lineSpan(raw);
    if (record.every((f) => f.trim() === '')) continue;
    const cell = (c: Field): string | undefined => {
      const i = fields.indexOf(c);
      return i < 0 || record[i] === undefined || record[i].trim() === '' ? undefined : record[i];
    };
    const kinds = cell('kinds');
    const [first, last] = [cell('first'), cell('last')];
    // First and last join into the name (unless a name column says it); the first name also greets.
    const joined = first !== undefined || last !== undefined ? [first, last].filter((x) => x !== undefined).map((x) => x.trim()).join(' ') : undefined;
    rows.push({
      line: start,
      raw: {
        email: cell('email') ?? '',
        name: cell('name') ?? joined,
        ...(first !== undefined ? { firstName: first } : {}),
        timezone: cell('timezone'),
        kinds: kinds === undefined ? undefined : splitKinds(kinds, ';'),
        location: cell('location'),
        radius: cell('radius'),
      },
      problem: record.length > width ? `${record.length} fields, but the header has ${width}` : undefined,
    });
  }
  return { rows, ignored: unknown };
}

/** How many lines a raw record covers: its inner line breaks plus the one that ends it. */
function lineSpan(raw: string): number {
  const breaks = raw.match(/\r\n|\r|\n/g)?.length ?? 0;
  return /[\r\n]$/.test(raw) ? Math.max(1, breaks) : breaks + 1;
}

/** What an import needs of the store (SubscriberRepository.addAll): every row added in one transaction, suppressed ones left alone. */
export interface ImportTarget {
  addAll(rows: readonly SubscriberFields[], opts: { source: string }): Promise<BulkAddResult[]>;
}

/**
 * Takes every valid row in one transaction, so a failure part-way leaves the list as it was.
 * Rejected: unreadable rows, bad fields, a second row for an address, and suppressed addresses,
 * which an import never reactivates. Empty cells keep what an existing subscriber has.
 */
export async function importSubscribers(subscribers: ImportTarget, rows: CsvSubscriberRow[], opts: { kinds: readonly string[]; source: string; places?: PlaceLookup }): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, updated: 0, rejected: [] };
  const firstLine = new Map<string, number>();
  const valid: { line: number; fields: SubscriberFields }[] = [];
  for (const row of rows) {
    const reasons: string[] = row.problem ? [row.problem] : [];
    // A location column needs the gazetteer; without one (or a caller without places) it is never loaded.
    const checked = row.raw.location !== undefined && opts.places ? await checkSubscriberWithPlace(row.raw, opts.kinds, opts.places) : checkSubscriber(row.raw, opts.kinds);
    if (!checked.ok) reasons.push(...checked.problems.map((p) => p.message));
    const email = row.raw.email.trim();
    if (addressProblem(email) === undefined) {
      const first = firstLine.get(emailKey(email));
      if (first !== undefined) reasons.push(`duplicate of line ${first} (${email})`);
      else firstLine.set(emailKey(email), row.line);
    }
    if (reasons.length === 0 && checked.ok) valid.push({ line: row.line, fields: checked.fields });
    else report.rejected.push({ line: row.line, reason: reasons.join('; ') });
  }
  const added = await subscribers.addAll(valid.map((v) => v.fields), { source: opts.source });
  added.forEach((r, i) => {
    if (r.outcome === 'created') report.imported++;
    else if (r.outcome === 'updated') report.updated++;
    else if (r.outcome === 'forgotten') report.rejected.push({ line: valid[i].line, reason: 'address was forgotten at their request (suppressed); not re-added' });
    else report.rejected.push({ line: valid[i].line, reason: `address is ${r.subscriber.status} (suppressed); not reactivated` });
  });
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}

/**
 * A CSV file's text imported as `subscribers import` does it, for the CLI and the organizer pages alike:
 * the same parse (one IMPORT_INVALID error for a file that is not a subscriber CSV), checks and transaction.
 */
export async function importSubscriberCsv(subscribers: ImportTarget, text: string, opts: { file: string; kinds: readonly string[]; source: string; mapping?: Map<string, Field>; from?: ImportFrom }): Promise<ImportReport> {
  const { rows, ignored } = parseSubscriberCsv(text, opts.file, opts.mapping, opts.from);
  const places = rows.some((r) => r.raw.location !== undefined) ? (await import('../places/lookup.ts')).gazetteerLookup : undefined;
  const report = await importSubscribers(subscribers, rows, { ...opts, places });
  return ignored.length > 0 ? { ...report, ignored } : report;
}

/** The report as `subscribers import` prints it: the ignored columns, `FILE:LINE: reason` per rejected row, then the totals. */
export function importReportLines(file: string, report: ImportReport): string[] {
  const ignored = report.ignored ?? [];
  const ignoredLine = ignored.length > 0 ? [`${file}: ignored column${ignored.length === 1 ? '' : 's'} ${ignored.map((h) => `'${h}'`).join(', ')} (not in --columns)`] : [];
  return [...ignoredLine, ...report.rejected.map((r) => `${file}:${r.line}: ${r.reason}`), `imported ${report.imported}, updated ${report.updated}, rejected ${report.rejected.length}`];
}
