// A subscriber's rights with real parts: `subscribers export` prints everything kept about them; `subscribers
// forget` erases them so that a grep of the SQLite file (and its WAL) or of every PostgreSQL table's rows, the
// outbox and the logs finds nothing, and a later import or add reports the address as suppressed; a fresh web
// opt-in lifts that. The first test runs on both engines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findToForget, forgetSubscriber } from '../../src/privacy/forget.ts';
import { engineTest, rawSql, type Engine } from '../helpers/engines.ts';
import { addSubscribers, sendEnv } from '../helpers/send-env.ts';

const ANN = 'Ann.Quarry@Example.org';

/** Every file under dir (recursively). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((p) => statSync(p).isFile());
}

/**
 * PostgreSQL's rows, every table's, as text (below the Store). Only live rows: PostgreSQL has no secure_delete, and
 * what a VACUUM freed is not overwritten (README, Privacy), so its files are not what this checks.
 */
async function everyRow(engine: Engine, dir: string): Promise<string> {
  const tables = await rawSql(engine, dir, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
  const texts: string[] = [];
  for (const { tablename } of tables) texts.push(...(await rawSql(engine, dir, `SELECT t::text AS row FROM "${tablename as string}" t`)).map((r) => r.row as string));
  return texts.join('\n');
}

engineTest('export prints the profile, status history and issues; forget leaves no trace in the database, outbox or logs', async (_t, engine) => {
  const e = sendEnv({ engine });
  const logs: string[] = [];
  const cli = async (args: string[], env?: Record<string, string>) => {
    const r = await e.cli(args, env);
    logs.push(r.out, r.err);
    return r;
  };
  const store = await e.store();
  // Ann came through the web form (pending, then confirmed); Bo was added by an organizer.
  const { subscriber } = await store.subscribers.requestSubscription({ email: ANN, name: 'Ann Quarry', timezone: 'Europe/Berlin' }, 'web');
  await store.subscribers.confirm(subscriber.id);
  await addSubscribers(store, [{ email: 'bo@example.org', name: 'Bo' }]);
  await store.close();
  assert.equal((await cli(['send', '--as-of', '2016-11-28'])).code, 0);

  const exported = await cli(['subscribers', 'export', 'ann.quarry@example.org']);
  assert.equal(exported.code, 0, exported.err);
  const doc = JSON.parse(exported.out);
  assert.equal(doc.subscriber.email, ANN);
  assert.equal(doc.subscriber.name, 'Ann Quarry');
  assert.deepEqual(doc.statusHistory.map((h: { status: string }) => h.status), ['pending', 'active']);
  assert.equal(doc.issues.length, 1);
  assert.deepEqual([doc.issues[0].issue, doc.issues[0].state, doc.issues[0].sentAt], ['2016-11-28', 'sent', '2016-11-27T13:00:00.000Z']);
  assert.match(doc.issues[0].subject, /Nov 28/);

  const forgot = await cli(['subscribers', 'forget', ANN]);
  assert.equal(forgot.code, 0, forgot.err);
  assert.match(forgot.out, /^forgot subscriber 1: .*, 1 outbox file removed;/);
  const again = await cli(['subscribers', 'forget', ANN]);
  assert.deepEqual([again.code, again.err], [1, `event-digest: ${ANN} was already forgotten; only its keyed hash is kept, as a suppression`]);
  const unknown = await cli(['subscribers', 'forget', 'nobody@example.org']);
  assert.deepEqual([unknown.code, unknown.err], [1, "event-digest: no subscriber with the address 'nobody@example.org'; nothing to forget"]);
  assert.equal((await cli(['subscribers', 'export', ANN])).code, 1);

  // The issue's counts stay: two were sent.
  const status = JSON.parse((await cli(['status', '--json'])).out);
  assert.equal(status.issues[0].sent, 2);

  // Nothing in the database file, its WAL (PostgreSQL: any table's rows), the outbox or what the commands printed (bar the export we asked for).
  const needles = [ANN.toLowerCase(), 'ann quarry', 'europe/berlin'];
  const places = [...filesUnder(join(e.dir, 'var'))];
  assert.ok((engine.name === 'postgres' || places.some((p) => p.endsWith('event-digest.db'))) && places.some((p) => p.endsWith('.eml')), places.join(', '));
  if (engine.name === 'postgres') {
    const rows = (await everyRow(engine, e.dir)).toLowerCase();
    assert.ok(rows.includes('bo@example.org'), 'the scan sees the rows');
    for (const n of needles) assert.ok(!rows.includes(n), `${n} found in a PostgreSQL row`);
  }
  for (const p of places) {
    const text = readFileSync(p, 'latin1').toLowerCase();
    for (const n of needles) assert.ok(!text.includes(n), `${n} found in ${p}`);
  }
  const printed = logs.filter((l) => l !== exported.out).join('\n').toLowerCase();
  for (const n of ['ann quarry', 'europe/berlin']) assert.ok(!printed.includes(n), `${n} printed`);
  assert.ok(!printed.replace(`event-digest: ${ANN.toLowerCase()} was already forgotten`, '').replace(`event-digest: ${ANN.toLowerCase()} was forgotten`, '').includes(ANN.toLowerCase()), 'the address printed beyond the answers about it');

  // A later import or add reports it as suppressed and does not re-add it.
  writeFileSync(join(e.dir, 'list.csv'), `email,name\n${ANN},Ann Again\ncarla@example.org,Carla\n`);
  const imported = await cli(['subscribers', 'import', 'list.csv']);
  assert.equal(imported.code, 1);
  assert.match(imported.out, /list\.csv:2: address was forgotten at their request \(suppressed\); not re-added/);
  assert.match(imported.out, /imported 1, updated 0, rejected 1$/);
  const added = await cli(['subscribers', 'add', ANN]);
  assert.equal(added.code, 1);
  assert.match(added.err, /was forgotten at their request \(suppressed\); not re-added/);
  const s2 = await e.store();
  assert.equal(await s2.subscribers.findByEmail(ANN), undefined);
  // The web form may still subscribe them, with a fresh double opt-in; confirming lifts the suppression.
  const back = await s2.subscribers.requestSubscription({ email: ANN }, 'web');
  assert.equal(back.outcome, 'created');
  assert.equal(await s2.privacy.isForgotten(ANN), true, 'a request alone proves nothing');
  await s2.subscribers.confirm(back.subscriber.id);
  assert.equal(await s2.privacy.isForgotten(ANN), false);
  await s2.close();
});

test('a rewrite that cannot run now (another process busy with the file) leaves the erasure done and says why', async () => {
  const e = sendEnv();
  const store = await e.store();
  await addSubscribers(store, [{ email: 'busy@example.org' }]);
  // An injected fault: the file is held by another process when forget wants to rewrite it.
  const privacy = Object.create(store.privacy) as typeof store.privacy;
  privacy.compact = () => Promise.reject(new Error('database is locked'));
  const s = await findToForget(store, 'busy@example.org');
  const done = await forgetSubscriber({ ...store, privacy }, s, undefined);
  assert.deepEqual(done, { subscriberId: s.id, outboxFiles: 0, notCompacted: 'database is locked' });
  assert.equal(await store.subscribers.findByEmail('busy@example.org'), undefined);
  assert.equal(await store.privacy.isForgotten('busy@example.org'), true);
  await store.close();
});
