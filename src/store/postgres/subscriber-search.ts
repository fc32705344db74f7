// The organizer's list view in PostgreSQL: the queries for a page of subscribers by address, filtered by status and text.
import type { SubscriberStatus } from '../../subscribers/model.ts';
import { likePattern, searchPage, type PageQueries } from '../subscriber-paging.ts';
import type { SubscriberPage, SubscriberQuery } from '../store.ts';
import type { Sql } from './database.ts';

/** The filters only when used (the planner then sees the (status, email_key) index), numbered as they come. */
function queriesFor<R>(sql: Sql, status: SubscriberStatus | undefined, like: string | undefined): PageQueries<R> {
  const params: unknown[] = [];
  const filters = [
    ...(status !== undefined ? [`status = $${params.push(status)}`] : []),
    ...(like !== undefined ? [`(email_key LIKE $${params.push(like)} ESCAPE '\\' OR lower(name) LIKE $${params.length} ESCAPE '\\')`] : []),
  ];
  const n = params.length;
  const where = (extra?: string) => {
    const all = extra ? [...filters, extra] : filters;
    return all.length === 0 ? '' : `WHERE ${all.join(' AND ')}`;
  };
  const keyOf = `(SELECT email_key FROM subscribers WHERE id = $${n + 1})`;
  return {
    count: async () => (await sql.row<{ n: number }>(`SELECT count(*)::int AS n FROM subscribers ${where()}`, params))!.n,
    first: (limit) => sql.rows<R>(`SELECT * FROM subscribers ${where()} ORDER BY email_key LIMIT $${n + 1}`, [...params, limit]),
    after: (cursor, limit) => sql.rows<R>(`SELECT * FROM subscribers ${where(`email_key > ${keyOf}`)} ORDER BY email_key LIMIT $${n + 2}`, [...params, cursor, limit]),
    before: (cursor, limit) => sql.rows<R>(`SELECT * FROM subscribers ${where(`email_key < ${keyOf}`)} ORDER BY email_key DESC LIMIT $${n + 2}`, [...params, cursor, limit]),
  };
}

/** `search` for PgSubscribers: rows come back raw, the repository turns them into Subscribers. */
export function pgSubscriberSearch<R extends { id: number }>(sql: Sql, q: SubscriberQuery): Promise<Omit<SubscriberPage, 'subscribers'> & { rows: R[] }> {
  return searchPage(q, queriesFor<R>(sql, q.status, likePattern(q.text)));
}
