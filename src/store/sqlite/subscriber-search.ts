// The organizer's list view in SQLite: the statements for a page of subscribers by address, filtered by status and text.
import type Database from 'better-sqlite3';
import type { SubscriberStatus } from '../../subscribers/model.ts';
import { likePattern, searchPage, type PageQueries } from '../subscriber-paging.ts';
import type { SubscriberPage, SubscriberQuery } from '../store.ts';

interface Params {
  status: SubscriberStatus | null;
  like: string | null;
  cursor: number;
  limit: number;
}

/**
 * One set of statements per filter shape (status or not, text or not), so each can use its index:
 * (status, email_key) with a status, the unique email_key without. The cursor is an id; its address is
 * looked up in the statement itself, since rows are never deleted.
 */
function statementsFor(db: Database.Database, withStatus: boolean, withText: boolean) {
  const filters = [
    ...(withStatus ? ['status = @status'] : []),
    ...(withText ? ["(email_key LIKE @like ESCAPE '\\' OR lower(name) LIKE @like ESCAPE '\\')"] : []),
  ];
  const where = (extra?: string) => {
    const all = extra ? [...filters, extra] : filters;
    return all.length === 0 ? '' : `WHERE ${all.join(' AND ')}`;
  };
  const keyOf = '(SELECT email_key FROM subscribers WHERE id = @cursor)';
  return {
    count: db.prepare<[Params], { n: number }>(`SELECT count(*) AS n FROM subscribers ${where()}`),
    first: db.prepare<[Params]>(`SELECT * FROM subscribers ${where()} ORDER BY email_key LIMIT @limit`),
    after: db.prepare<[Params]>(`SELECT * FROM subscribers ${where(`email_key > ${keyOf}`)} ORDER BY email_key LIMIT @limit`),
    before: db.prepare<[Params]>(`SELECT * FROM subscribers ${where(`email_key < ${keyOf}`)} ORDER BY email_key DESC LIMIT @limit`),
  };
}

type Statements = ReturnType<typeof statementsFor>;

/** `search` for SqliteSubscribers: rows come back raw, the repository turns them into Subscribers. */
export function subscriberSearch<R extends { id: number }>(db: Database.Database) {
  const shapes = new Map<string, Statements>();
  const statements = (withStatus: boolean, withText: boolean) => {
    const key = `${withStatus}/${withText}`;
    let s = shapes.get(key);
    if (!s) shapes.set(key, (s = statementsFor(db, withStatus, withText)));
    return s;
  };

  return (q: SubscriberQuery): Promise<Omit<SubscriberPage, 'subscribers'> & { rows: R[] }> => {
    const like = likePattern(q.text);
    const s = statements(q.status !== undefined, like !== undefined);
    const base = { status: q.status ?? null, like: like ?? null, cursor: 0 };
    const queries: PageQueries<R> = {
      count: async () => s.count.get({ ...base, limit: 0 })!.n,
      first: async (limit) => s.first.all({ ...base, limit }) as R[],
      after: async (cursor, limit) => s.after.all({ ...base, cursor, limit }) as R[],
      before: async (cursor, limit) => s.before.all({ ...base, cursor, limit }) as R[],
    };
    return searchPage(q, queries);
  };
}
