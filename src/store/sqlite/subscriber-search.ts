// The organizer's list view in SQLite: a page of subscribers by address, filtered by status and text, with keyset cursors.
import type Database from 'better-sqlite3';
import type { SubscriberStatus } from '../../subscribers/model.ts';
import type { SubscriberPage, SubscriberQuery } from '../store.ts';

/** The subscribers columns (store.ts's Row in subscribers.ts), as this module needs them back. */
export interface SearchRow {
  id: number;
  email_key: string;
}

interface Params {
  status: SubscriberStatus | null;
  like: string;
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
export function subscriberSearch<R extends SearchRow>(db: Database.Database) {
  const shapes = new Map<string, Statements>();
  const statements = (withStatus: boolean, withText: boolean) => {
    const key = `${withStatus}/${withText}`;
    let s = shapes.get(key);
    if (!s) shapes.set(key, (s = statementsFor(db, withStatus, withText)));
    return s;
  };

  return (q: SubscriberQuery): Omit<SubscriberPage, 'subscribers'> & { rows: R[] } => {
    const text = q.text?.trim().toLowerCase() ?? '';
    const s = statements(q.status !== undefined, text !== '');
    const base = { status: q.status ?? null, like: `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, limit: q.limit + 1 };
    // One row more than the page says whether there is a next page in the direction walked.
    let rows: R[];
    let more: boolean;
    if (q.before !== undefined) {
      rows = (s.before.all({ ...base, cursor: q.before }) as R[]).reverse();
      more = rows.length > q.limit;
      if (more) rows = rows.slice(1);
    } else {
      rows = (q.after !== undefined ? s.after.all({ ...base, cursor: q.after }) : s.first.all({ ...base, cursor: 0 })) as R[];
      more = rows.length > q.limit;
      if (more) rows = rows.slice(0, q.limit);
    }
    const total = s.count.get({ ...base, cursor: 0 })!.n;
    if (rows.length === 0) return { rows, total };
    const walkedBack = q.before !== undefined;
    const hasBefore = walkedBack ? more : q.after !== undefined && s.before.all({ ...base, cursor: rows[0].id, limit: 1 }).length > 0;
    const hasAfter = walkedBack ? s.after.all({ ...base, cursor: rows[rows.length - 1].id, limit: 1 }).length > 0 : more;
    return { rows, total, before: hasBefore ? rows[0].id : undefined, after: hasAfter ? rows[rows.length - 1].id : undefined };
  };
}
