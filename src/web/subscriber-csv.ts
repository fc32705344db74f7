// The subscriber list as CSV, streamed a page at a time: the import's four columns first, then the list's own.
import { stringify } from 'csv-stringify/sync';
import type { SubscriberQuery, SubscriberRepository } from '../store/store.ts';
import type { Subscriber } from '../subscribers/model.ts';

/** `email,name,timezone,kinds` as `subscribers import` reads them, then what the list knows besides (as `list --json` names it). */
export const EXPORT_COLUMNS = ['email', 'name', 'timezone', 'kinds', 'status', 'source', 'createdAt', 'confirmedAt', 'unsubscribedAt'] as const;

const EXPORT_PAGE = 1000;

function row(s: Subscriber): string[] {
  return [s.email, s.name ?? '', s.timezone, s.kinds.length === 0 ? 'all' : s.kinds.join(';'), s.status, s.source, s.createdAt, s.confirmedAt ?? '', s.unsubscribedAt ?? ''];
}

// CRLF as RFC 4180 has it; a cell that starts like a formula gets a leading ' so a spreadsheet shows it as text
// (a name typed on the public form could otherwise run in the organizer's spreadsheet).
const csv = (rows: string[][]) => stringify(rows, { record_delimiter: 'windows', escape_formulas: true });

/** Every subscriber the filter matches, by address: a page of the store at a time, never the whole list in memory. */
export function subscriberCsv(subscribers: Pick<SubscriberRepository, 'search'>, filter: Omit<SubscriberQuery, 'limit' | 'after' | 'before'>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: number | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        // The BOM tells spreadsheet programs the file is UTF-8; the import skips it.
        controller.enqueue(encoder.encode(`\uFEFF${csv([[...EXPORT_COLUMNS]])}`));
        return;
      }
      const page = await subscribers.search({ ...filter, after, limit: EXPORT_PAGE });
      if (page.subscribers.length > 0) controller.enqueue(encoder.encode(csv(page.subscribers.map(row))));
      if (page.after === undefined) controller.close();
      else after = page.after;
    },
  });
}
