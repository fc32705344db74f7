// The organizer's subscriber list over a real loopback server and a SQLite file: access, add, unsubscribe,
// search and pages over 100,000 subscribers, CSV export, and CSV import reporting exactly as the CLI does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { listen, type Listening } from '../../src/web/serve.ts';
import { cli, tempDir, writeFile } from '../subscribers/helpers.ts';
import { selectedZones, tickedKinds, webEnv } from '../helpers/web-env.ts';

/** The app listening on 127.0.0.1, and requests to it as a browser on this machine would make them. */
async function served(opts: Parameters<typeof webEnv>[0] = {}) {
  const w = await webEnv(opts);
  const server: Listening = await listen(w.app, '127.0.0.1', 0);
  const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers, redirect: 'manual' });
  const post = (path: string, body: URLSearchParams | FormData, headers: Record<string, string> = {}) =>
    fetch(server.url + path, { method: 'POST', body, headers: { origin: server.url, ...headers }, redirect: 'manual' });
  const form = (fields: Record<string, string | string[]>) => {
    const b = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) b.append(k, x);
    return b;
  };
  const upload = (name: string, text: string) => {
    const f = new FormData();
    f.set('file', new Blob([text], { type: 'text/csv' }), name);
    return f;
  };
  return { w, server, get, post, form, upload, close: async () => (await server.close(), await w.close()) };
}

const rowsOf = (page: string) => [...page.matchAll(/<tr data-email="([^"]+)">/g)].map((m) => m[1]);
const linkOf = (page: string, rel: 'next' | 'prev') => [...page.matchAll(/<a rel="(next|prev)" href="([^"]+)">/g)].find((m) => m[1] === rel)?.[2].replaceAll('&amp;', '&');

describe('admin subscriber pages: authentication and forged forms', () => {
  const token = 'an organizer token 0123456789';
  let s: Awaited<ReturnType<typeof served>>;
  before(async () => void (s = await served({ config: { adminToken: token } })));
  after(() => s.close());
  const bearer = { authorization: `Bearer ${token}` };

  it('every page and every POST asks for the token; nothing changes without it', async () => {
    const id = (await s.w.store.subscribers.add({ email: 'kept@example.org' }, { source: 'test' })).subscriber.id;
    assert.equal((await s.get('/admin/subscribers')).status, 401);
    assert.equal((await s.get('/admin/subscribers/export.csv')).status, 401);
    assert.equal((await s.post('/admin/subscribers/add', s.form({ email: 'x@example.org', kinds: 'action' }))).status, 401);
    assert.equal((await s.post(`/admin/subscribers/${id}/unsubscribe`, s.form({}))).status, 401);
    assert.equal((await s.post('/admin/subscribers/import', s.upload('a.csv', 'email\ny@example.org\n'))).status, 401);
    assert.equal(await s.w.store.subscribers.findByEmail('x@example.org'), undefined);
    assert.equal(await s.w.store.subscribers.findByEmail('y@example.org'), undefined);
    assert.equal((await s.w.store.subscribers.get(id))!.status, 'active');
  });

  it('with the token, a POST from another site (or with no Origin) is refused', async () => {
    const id = (await s.w.store.subscribers.findByEmail('kept@example.org'))!.id;
    for (const origin of ['https://evil.example', '']) {
      const h = origin ? { ...bearer, origin } : bearer;
      const send = (path: string, body: URLSearchParams | FormData) =>
        fetch(s.server.url + path, { method: 'POST', body, headers: h, redirect: 'manual' });
      assert.equal((await send('/admin/subscribers/add', s.form({ email: 'x@example.org', kinds: 'action' }))).status, 403);
      assert.equal((await send(`/admin/subscribers/${id}/unsubscribe`, s.form({}))).status, 403);
      assert.equal((await send('/admin/subscribers/import', s.upload('a.csv', 'email\ny@example.org\n'))).status, 403);
    }
    assert.equal(await s.w.store.subscribers.findByEmail('x@example.org'), undefined);
    assert.equal(await s.w.store.subscribers.findByEmail('y@example.org'), undefined);
    assert.equal((await s.w.store.subscribers.get(id))!.status, 'active');
    const ok = await s.post('/admin/subscribers/add', s.form({ email: 'x@example.org', kinds: 'action', timezone: 'UTC' }), bearer);
    assert.equal(ok.status, 303, 'the same form, same-site and with the token, goes through');
  });
});

describe('admin subscriber pages: add and unsubscribe', () => {
  let s: Awaited<ReturnType<typeof served>>;
  before(async () => void (s = await served()));
  after(() => s.close());

  it('adds an active subscriber and says so on the list', async () => {
    const res = await s.post('/admin/subscribers/add', s.form({ email: 'Ada@Example.org', name: 'Ada', timezone: 'Europe/Berlin', kinds: ['webinar', 'conference'] }));
    assert.equal(res.status, 303);
    const sub = (await s.w.store.subscribers.findByEmail('ada@example.org'))!;
    assert.deepEqual([sub.status, sub.name, sub.timezone, sub.kinds, sub.source], ['active', 'Ada', 'Europe/Berlin', ['webinar', 'conference'], 'admin']);
    assert.equal(res.headers.get('location'), `/admin/subscribers?added=${sub.id}`, 'no address in the URL');
    const page = await (await s.get(res.headers.get('location')!)).text();
    assert.match(page, /<strong>Ada@Example\.org<\/strong> is on the list: active/);
    assert.deepEqual(rowsOf(page), ['Ada@Example.org']);
  });

  it('a refused add keeps what was typed; a suppressed address needs the reactivate box', async () => {
    const bad = await s.post('/admin/subscribers/add', s.form({ email: 'not an address', name: 'Bo', timezone: 'Asia/Tokyo', kinds: ['action'] }));
    assert.equal(bad.status, 400);
    const page = await bad.text();
    assert.match(page, /Email address: /);
    assert.match(page, /name="email" value="not an address"/);
    assert.match(page, /name="name" value="Bo"/);
    assert.match(page, /<select id="add-timezone" name="timezone">[^]*<option value="Asia\/Tokyo" selected>/);
    assert.deepEqual(tickedKinds(page), ['action']);

    const gone = (await s.w.store.subscribers.add({ email: 'gone@example.org' }, { source: 'test' })).subscriber;
    await s.w.store.subscribers.unsubscribe(gone.id);
    const refused = await s.post('/admin/subscribers/add', s.form({ email: 'gone@example.org', timezone: 'UTC', kinds: ['action'] }));
    assert.equal(refused.status, 409);
    assert.match(await refused.text(), /gone@example\.org is unsubscribed \(suppressed\); not reactivated\. If they asked to come back, tick the box/);
    assert.equal((await s.w.store.subscribers.get(gone.id))!.status, 'unsubscribed');
    assert.equal((await s.post('/admin/subscribers/add', s.form({ email: 'gone@example.org', timezone: 'UTC', kinds: ['action'], reactivate: '1' }))).status, 303);
    assert.equal((await s.w.store.subscribers.get(gone.id))!.status, 'active');
  });

  it('asks where the reader is, as the subscribe form does: the town and radius are stored; an unknown place is one line on the form, nothing saved', async () => {
    const empty = await (await s.get('/admin/subscribers')).text();
    assert.match(empty, /<label for="add-location">Where they are /);
    assert.match(empty, /<select id="add-radius" name="radius">[^]*<option value="50" selected>50 mi<\/option>/, "the list's radius first");

    const res = await s.post('/admin/subscribers/add', s.form({ email: 'cy@example.org', timezone: 'America/New_York', kinds: ['action'], location: 'columbus ohio', radius: '25' }));
    assert.equal(res.status, 303);
    const cy = (await s.w.store.subscribers.findByEmail('cy@example.org'))!;
    assert.deepEqual([cy.location?.name, cy.radius], ['Columbus, OH', 25]);
    assert.ok(Math.abs(cy.location!.lat - 39.96) < 0.05 && Math.abs(cy.location!.lon + 83.0) < 0.05, JSON.stringify(cy.location));
    assert.match(await (await s.get(res.headers.get('location')!)).text(), /<strong>cy@example\.org<\/strong> is on the list: active, near Columbus, OH \(25 mi\)\./);

    // Added again with the place left blank (the radius field at its default): the reader's place and radius stay.
    assert.equal((await s.post('/admin/subscribers/add', s.form({ email: 'cy@example.org', name: 'Cy', timezone: 'America/New_York', kinds: ['action'], location: '', radius: '50' }))).status, 303);
    const again = (await s.w.store.subscribers.findByEmail('cy@example.org'))!;
    assert.deepEqual([again.name, again.location?.name, again.radius], ['Cy', 'Columbus, OH', 25]);

    for (const [location, radius, problem] of [
      ['Colombus, OH', '25', "Where they are: unknown place 'Colombus, OH'; did you mean Columbus, OH?"],
      ['Columbus, OH', '0', "Events within: radius '0' is not a whole number from 1 to 20000"],
    ]) {
      const bad = await s.post('/admin/subscribers/add', s.form({ email: 'dee@example.org', name: 'Dee', timezone: 'UTC', kinds: ['action'], location, radius }));
      assert.equal(bad.status, 400);
      const page = await bad.text();
      const problems = [...page.matchAll(/<li data-field="[^"]*">([^<]*)<\/li>/g)].map((m) => m[1].replaceAll('&#39;', "'"));
      assert.deepEqual(problems, [problem], 'one line, for the field');
      assert.match(page, new RegExp(`id="add-location" type="text" name="location" value="${location}"`), 'what was typed stays');
      assert.equal(await s.w.store.subscribers.findByEmail('dee@example.org'), undefined, 'nothing was saved');
    }
  });

  it('unsubscribes from the list and goes back to the same filter; the row stays, without a button', async () => {
    const ada = (await s.w.store.subscribers.findByEmail('ada@example.org'))!;
    const res = await s.post(`/admin/subscribers/${ada.id}/unsubscribe`, s.form({ back: '/admin/subscribers?q=ada&status=active' }));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/admin/subscribers?q=ada&status=active&unsubscribed=${ada.id}`);
    assert.equal((await s.w.store.subscribers.get(ada.id))!.status, 'unsubscribed');
    const page = await (await s.get(`/admin/subscribers?status=unsubscribed&unsubscribed=${ada.id}`)).text();
    assert.match(page, /<strong>Ada@Example\.org<\/strong> is unsubscribed and kept as a suppression/);
    assert.ok(rowsOf(page).includes('Ada@Example.org'));
    assert.doesNotMatch(page, /aria-label="Unsubscribe Ada@Example\.org"/);
    assert.equal((await s.post('/admin/subscribers/999999/unsubscribe', s.form({}))).status, 404);
    const evil = await s.post(`/admin/subscribers/${ada.id}/unsubscribe`, s.form({ back: 'https://evil.example/x?status=active' }));
    assert.match(evil.headers.get('location') ?? '', /^\/admin\/subscribers\?status=active&unsubscribed=\d+$/, 'only our own list, whatever "back" says');
  });
});

describe('admin subscriber pages: 100,000 subscribers, a page at a time', () => {
  let s: Awaited<ReturnType<typeof served>>;
  before(async () => {
    s = await served();
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ email: `r${String(i).padStart(6, '0')}@example.org`, name: `Reader ${i}` }));
    await s.w.store.subscribers.addAll(rows, { source: 'test' });
    for (const i of [7, 70_007]) await s.w.store.subscribers.unsubscribe((await s.w.store.subscribers.findByEmail(rows[i].email))!.id);
  });
  after(() => s.close());

  it('shows 50 rows, the total, and walks next and back by links', async () => {
    const first = await (await s.get('/admin/subscribers')).text();
    assert.match(first, /100,000 matching/);
    assert.equal(rowsOf(first).length, 50);
    assert.equal(rowsOf(first)[0], 'r000000@example.org');
    assert.equal(linkOf(first, 'prev'), undefined);
    const next = await (await s.get(linkOf(first, 'next')!)).text();
    assert.deepEqual([rowsOf(next)[0], rowsOf(next).at(-1)], ['r000050@example.org', 'r000099@example.org']);
    const back = await (await s.get(linkOf(next, 'prev')!)).text();
    assert.deepEqual(rowsOf(back), rowsOf(first));
    assert.match(first, /data-status="active">99998</);
  });

  it('filters by status and searches address and name', async () => {
    const gone = await (await s.get('/admin/subscribers?status=unsubscribed')).text();
    assert.match(gone, /2 matching/);
    assert.deepEqual(rowsOf(gone), ['r000007@example.org', 'r070007@example.org']);
    const found = await (await s.get('/admin/subscribers?q=Reader+4242')).text();
    assert.deepEqual(rowsOf(found), ['r004242@example.org', 'r042420@example.org', 'r042421@example.org', 'r042422@example.org', 'r042423@example.org', 'r042424@example.org', 'r042425@example.org', 'r042426@example.org', 'r042427@example.org', 'r042428@example.org', 'r042429@example.org']);
    assert.match(found, /name="q" value="Reader 4242"/, 'the search stays in its field');
  });

  it('exports what the filter matches as CSV, every row, streamed', async () => {
    const res = await s.get('/admin/subscribers/export.csv?status=active');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="subscribers-2016-11-25\.csv"/);
    const records = parse(await res.text(), { bom: true, columns: true }) as Record<string, string>[];
    assert.equal(records.length, 99_998);
    assert.deepEqual(records[0], {
      email: 'r000000@example.org', name: 'Reader 0', timezone: 'America/New_York', kinds: 'all', status: 'active', source: 'test',
      createdAt: '2016-11-25T15:00:00.000Z', confirmedAt: '', unsubscribedAt: '',
    });
    assert.ok(!records.some((r) => r.email === 'r000007@example.org'));
  });
});

describe('admin subscriber pages: export and import round the edges', () => {
  let s: Awaited<ReturnType<typeof served>>;
  before(async () => void (s = await served()));
  after(() => s.close());

  it('a name that looks like a spreadsheet formula is exported as text', async () => {
    await s.w.store.subscribers.add({ email: 'eve@example.org', name: '=HYPERLINK("https://evil.example","click")', kinds: ['webinar', 'action'] }, { source: 'web' });
    const bytes = Buffer.from(await (await s.get('/admin/subscribers/export.csv?q=eve')).arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 BOM, for spreadsheet programs');
    const text = bytes.toString('utf8');
    assert.equal(text.slice(1, text.indexOf('\n') + 1), 'email,name,timezone,kinds,status,source,createdAt,confirmedAt,unsubscribedAt\r\n');
    const [row] = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    assert.equal(row.name, `'=HYPERLINK("https://evil.example","click")`);
    assert.equal(row.kinds, 'webinar;action', 'as import reads them back');
  });

  it('imports a CSV and reports each row exactly as `subscribers import` prints it', async () => {
    const csv = [
      'email,name,timezone,kinds',
      'ann@example.org,Ann,Europe/Berlin,webinar;action',
      'bad-address,Bad,,',
      'cy@example.org,Cy,Mars/Olympus,',
      'ANN@example.org,Ann again,,',
      'eve@example.org,Eve,,',
      'dee@example.org,"Dee',
      'Lee",,',
      'fay@example.org,Fay,,rave',
      ...Array.from({ length: 3000 }, (_, i) => `bulk${i}@example.org,Bulk ${i},Asia/Tokyo,all`),
    ].join('\n');
    assert.ok(csv.length > 16 * 1024, 'larger than the forms limit: the import has its own');
    // The CLI on its own database, with one address unsubscribed as here.
    const dir = tempDir();
    writeFile(dir, 'list.csv', csv);
    await cli(dir, ['subscribers', 'add', 'eve@example.org']);
    await cli(dir, ['subscribers', 'remove', 'eve@example.org']);
    const cliRun = await cli(dir, ['subscribers', 'import', 'list.csv']);
    assert.equal(cliRun.code, 1);
    await s.w.store.subscribers.unsubscribe((await s.w.store.subscribers.findByEmail('eve@example.org'))!.id);

    const res = await s.post('/admin/subscribers/import', s.upload('list.csv', csv));
    assert.equal(res.status, 200);
    const page = await res.text();
    const report = /<pre class="report" id="import-report">([^<]*)<\/pre>/.exec(page)?.[1].replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&');
    assert.equal(report, cliRun.out, 'the same lines, in the same order');
    assert.match(cliRun.out, /^list\.csv:3: /m);
    assert.match(cliRun.out, /imported 3001, updated 0, rejected 6$/);
    assert.equal((await s.w.store.subscribers.findByEmail('bulk2999@example.org'))!.source, 'admin-import:list.csv');
    assert.equal((await s.w.store.subscribers.findByEmail('eve@example.org'))!.status, 'unsubscribed');
  });

  it('a file that is not a subscriber CSV is one error and imports nothing', async () => {
    const res = await s.post('/admin/subscribers/import', s.upload('forms.csv', 'Timestamp,Email Address\n2024-01-01,zed@example.org\n'));
    assert.equal(res.status, 400);
    // The page has no --columns: it says which headers it takes and what to do with the others, in the browser.
    const said = /<p class="notice error" role="status">([^<]*)<\/p>/.exec(await res.text())?.[1].replaceAll('&#39;', "'");
    assert.equal(
      said,
      "forms.csv:1: unknown columns 'Timestamp', 'Email Address' in the header (columns: email, name, timezone, kinds, location, radius); in the file's first line, rename each to one of these columns or delete them (only email is required; any order, any case), then import the file again; nothing was imported",
    );
    const one = await s.post('/admin/subscribers/import', s.upload('one.csv', 'E-mail,name\nzed@example.org,Zed\n'));
    assert.match(await one.text(), /unknown column &#39;E-mail&#39; in the header \([^)]*\); in the file&#39;s first line, rename it to one of these columns or delete it /);
    assert.equal(await s.w.store.subscribers.findByEmail('zed@example.org'), undefined);
    assert.equal(await s.w.store.subscribers.findByEmail('zed@example.org'), undefined);
    assert.equal((await s.post('/admin/subscribers/import', new FormData())).status, 400);
  });
});

describe('the preview keeps its subscriber suggestions to one page', () => {
  it('lists at most 500 active addresses in the datalist', async () => {
    const s = await served();
    try {
      await s.w.store.subscribers.addAll(Array.from({ length: 600 }, (_, i) => ({ email: `p${String(i).padStart(3, '0')}@example.org` })), { source: 'test' });
      const page = await (await s.get('/admin')).text();
      const options = /<datalist id="subscribers">([^]*?)<\/datalist>/.exec(page)![1];
      assert.equal([...options.matchAll(/<option /g)].length, 500);
      assert.equal(selectedZones(page).length, 0, 'the preview has no reader zone list of its own');
    } finally {
      await s.close();
    }
  });
});
