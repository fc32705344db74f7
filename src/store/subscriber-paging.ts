// The organizer's list view, a page of subscribers by address with keyset cursors: the walk both dialects share,
// over four queries each dialect writes (filtered by status and text, with the cursor's address looked up by id).
import type { SubscriberPage, SubscriberQuery } from './store.ts';

/** The queries for one filter (status, text); `cursor` is a subscriber's id, `limit` a row count. */
export interface PageQueries<R> {
  count(): Promise<number>;
  first(limit: number): Promise<R[]>;
  after(cursor: number, limit: number): Promise<R[]>;
  before(cursor: number, limit: number): Promise<R[]>;
}

/** The text filter as a LIKE pattern (escape character '\'), or undefined for none. */
export function likePattern(text: string | undefined): string | undefined {
  const t = text?.trim().toLowerCase() ?? '';
  return t === '' ? undefined : `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One row more than the page says whether there is a next page in the direction walked. Rows come back raw. */
export async function searchPage<R extends { id: number }>(q: SubscriberQuery, s: PageQueries<R>): Promise<Omit<SubscriberPage, 'subscribers'> & { rows: R[] }> {
  let rows: R[];
  let more: boolean;
  if (q.before !== undefined) {
    rows = (await s.before(q.before, q.limit + 1)).reverse();
    more = rows.length > q.limit;
    if (more) rows = rows.slice(1);
  } else {
    rows = q.after !== undefined ? await s.after(q.after, q.limit + 1) : await s.first(q.limit + 1);
    more = rows.length > q.limit;
    if (more) rows = rows.slice(0, q.limit);
  }
  const total = await s.count();
  if (rows.length === 0) return { rows, total };
  const walkedBack = q.before !== undefined;
  const hasBefore = walkedBack ? more : q.after !== undefined && (await s.before(rows[0].id, 1)).length > 0;
  const hasAfter = walkedBack ? (await s.after(rows[rows.length - 1].id, 1)).length > 0 : more;
  return { rows, total, before: hasBefore ? rows[0].id : undefined, after: hasAfter ? rows[rows.length - 1].id : undefined };
}
