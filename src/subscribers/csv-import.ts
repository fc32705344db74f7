// CSV import: parse the file (one error if it is not a subscriber CSV), check every row, then hand the valid ones to the store in one transaction.
import { CsvError, parse } from 'csv-parse/sync';
import { DigestError } from '../errors.ts';
import { addressProblem, emailKey } from './address.ts';
import { checkSubscriber, splitKinds, type RawSubscriber } from './input.ts';
import type { BulkAddResult, SubscriberFields } from './model.ts';

export const CSV_COLUMNS = ['email', 'name', 'timezone', 'kinds'] as const;
type Column = (typeof CSV_COLUMNS)[number];

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
}

/** The rows of a subscriber CSV; throws DigestError('IMPORT_INVALID') naming FILE:LINE when the file as a whole is unusable. */
export function parseSubscriberCsv(text: string, file: string): CsvSubscriberRow[] {
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

  const header = records[0].record.map((h) => h.trim().toLowerCase());
  const known = `columns: ${CSV_COLUMNS.join(', ')}`;
  const hint = header.length === 1 && header[0].includes(';') ? ', and the separator must be a comma' : '';
  for (const [i, h] of header.entries()) {
    if (!(CSV_COLUMNS as readonly string[]).includes(h)) throw fail(1, `unknown column '${h}' in the header (${known}${hint})`);
    if (header.indexOf(h) !== i) throw fail(1, `column '${h}' appears twice in the header`);
  }
  if (!header.includes('email')) throw fail(1, `no 'email' column in the header (${known})`);

  const rows: CsvSubscriberRow[] = [];
  // csv-parse's own line count drifts on CRLF inside quotes, so count the breaks of each raw record.
  let line = 1 + lineSpan(records[0].raw);
  for (const { record, raw } of records.slice(1)) {
    const start = line;
    line += lineSpan(raw);
    if (record.every((f) => f.trim() === '')) continue;
    const cell = (c: Column): string | undefined => {
      const i = header.indexOf(c);
      return i < 0 || record[i] === undefined || record[i].trim() === '' ? undefined : record[i];
    };
    const kinds = cell('kinds');
    rows.push({
      line: start,
      raw: { email: cell('email') ?? '', name: cell('name'), timezone: cell('timezone'), kinds: kinds === undefined ? undefined : splitKinds(kinds, ';') },
      problem: record.length > header.length ? `${record.length} fields, but the header has ${header.length}` : undefined,
    });
  }
  return rows;
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
export async function importSubscribers(subscribers: ImportTarget, rows: CsvSubscriberRow[], opts: { kinds: readonly string[]; source: string }): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, updated: 0, rejected: [] };
  const firstLine = new Map<string, number>();
  const valid: { line: number; fields: SubscriberFields }[] = [];
  for (const row of rows) {
    const reasons: string[] = row.problem ? [row.problem] : [];
    const checked = checkSubscriber(row.raw, opts.kinds);
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
  added.forEach(({ outcome, subscriber }, i) => {
    if (outcome === 'created') report.imported++;
    else if (outcome === 'updated') report.updated++;
    else report.rejected.push({ line: valid[i].line, reason: `address is ${subscriber.status} (suppressed); not reactivated` });
  });
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}

/**
 * A CSV file's text imported as `subscribers import` does it, for the CLI and the organizer pages alike:
 * the same parse (one IMPORT_INVALID error for a file that is not a subscriber CSV), checks and transaction.
 */
export async function importSubscriberCsv(subscribers: ImportTarget, text: string, opts: { file: string; kinds: readonly string[]; source: string }): Promise<ImportReport> {
  return importSubscribers(subscribers, parseSubscriberCsv(text, opts.file), opts);
}

/** The report as `subscribers import` prints it: `FILE:LINE: reason` per rejected row, then the totals. */
export function importReportLines(file: string, report: ImportReport): string[] {
  return [...report.rejected.map((r) => `${file}:${r.line}: ${r.reason}`), `imported ${report.imported}, updated ${report.updated}, rejected ${report.rejected.length}`];
}
