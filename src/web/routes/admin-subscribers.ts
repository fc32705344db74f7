// Organizer pages for the list: search and filter a page at a time, add, unsubscribe, export CSV, import CSV (the CLI's import).
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DigestError } from '../../errors.ts';
import { kindHeading } from '../../render/digest-view.ts';
import type { SubscriberQuery } from '../../store/store.ts';
import { CSV_COLUMNS, importReportLines, importSubscriberCsv } from '../../subscribers/csv-import.ts';
import { isSuppressed, SUBSCRIBER_STATUSES, type Subscriber, type SubscriberStatus } from '../../subscribers/model.ts';
import type { WebDeps } from '../deps.ts';
import { subscriberCsv } from '../subscriber-csv.ts';
import { checkForm, fieldList, fieldText, kindChoices, placeFields, placeSettings, type FormValues } from '../pages/forms.ts';
import { notice, problemList, type Markup } from '../pages/layout.ts';
import { zoneSelect } from '../pages/zone-choices.ts';

export const PAGE_SIZE = 50;
/** Where the import form posts: app.ts lets it past the 16 KB limit for forms, and it takes its own. */
export const IMPORT_PATH = '/admin/subscribers/import';
/** About 100,000 rows of a typical export. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export type Show = (c: Context, title: string, body: Markup, status?: ContentfulStatusCode) => Response | Promise<Response>;

interface ListFilter {
  status?: SubscriberStatus;
  text: string;
}

function filterFrom(get: (k: string) => string | undefined): ListFilter {
  const status = get('status');
  return { status: (SUBSCRIBER_STATUSES as readonly string[]).includes(status ?? '') ? (status as SubscriberStatus) : undefined, text: (get('q') ?? '').trim().slice(0, 200) };
}

const cursor = (v: string | undefined) => (v && /^\d{1,15}$/.test(v) ? Number(v) : undefined);

/** The list's own address with a filter and a cursor: the only place these pages send a browser back to. */
function listUrl(f: ListFilter, extra: Record<string, string | number | undefined> = {}, path = '/admin/subscribers'): string {
  const p = new URLSearchParams();
  if (f.text) p.set('q', f.text);
  if (f.status) p.set('status', f.status);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) p.set(k, String(v));
  const qs = p.toString();
  return `${path}${qs ? `?${qs}` : ''}`;
}

const kindsText = (s: Subscriber) => (s.kinds.length === 0 ? 'all' : s.kinds.map(kindHeading).join(', '));

/** Mounted under /admin after the organizer's authentication: every route here is admin-only. */
export function adminSubscriberRoutes(deps: WebDeps, show: Show): Hono {
  const { config, store } = deps;
  const app = new Hono();
  const fresh = (): FormValues & { reactivate: boolean } => ({ email: '', name: '', timezone: config.timezone, kinds: config.kinds, location: '', radius: String(config.radius), reactivate: false });
  /** The reader's place, as the subscribe form asks it (same check, same gazetteer), worded for the organizer. */
  const PLACE = { idPrefix: 'add-', label: 'Where they are' };

  async function listPage(c: Context, opts: { filter: ListFilter; after?: number; before?: number; top?: Markup; add?: FormValues & { reactivate: boolean }; problems?: { field: string; message: string }[]; status?: ContentfulStatusCode }) {
    const { filter } = opts;
    const query: SubscriberQuery = { status: filter.status, text: filter.text, after: opts.after, before: opts.before, limit: PAGE_SIZE };
    const [page, byStatus, byKind] = await Promise.all([store.subscribers.search(query), store.subscribers.countByStatus(), store.subscribers.activeCountByKind(config.kinds)]);
    const here = listUrl(filter, { after: opts.after, before: opts.before });
    const add = opts.add ?? fresh();
    return show(
      c,
      'Subscribers',
      html`<h1>Subscribers</h1>${opts.top ?? html``}
<div class="columns"><section>
<form class="toolbar" method="get" action="/admin/subscribers" role="search">
<div><label for="q">Search address or name</label><input id="q" type="text" name="q" value="${filter.text}" maxlength="200"></div>
<div><label for="status">Status</label><select id="status" name="status"><option value="">any</option>${SUBSCRIBER_STATUSES.map(
        (s) => html`<option value="${s}"${filter.status === s ? html` selected` : html``}>${s}</option>`,
      )}</select></div>
<div><button type="submit">Show</button></div>
</form>
<p class="hint" id="matching">${page.total.toLocaleString('en-US')} matching · <a href="${listUrl(filter, {}, '/admin/subscribers/export.csv')}" download>Export these as CSV</a></p>
${page.subscribers.length === 0
  ? html`<p>No subscriber matches.</p>`
  : html`<table class="subscribers"><thead><tr><th>Address</th><th>Name</th><th>Time zone</th><th>Gets</th><th>Status</th><th>Since</th><th></th></tr></thead><tbody>${page.subscribers.map(
      (s) => html`<tr data-email="${s.email}"><td>${s.email}</td><td>${s.name ?? ''}</td><td>${s.timezone}</td><td>${kindsText(s)}</td><td class="status">${s.status}</td><td>${s.createdAt.slice(0, 10)}</td>
<td>${isSuppressed(s.status)
  ? html``
  : html`<form method="post" action="/admin/subscribers/${s.id}/unsubscribe"><input type="hidden" name="back" value="${here}"><button type="submit" class="secondary" aria-label="Unsubscribe ${s.email}">Unsubscribe</button></form>`}</td></tr>`,
    )}</tbody></table>`}
<nav class="pager">${page.before !== undefined ? html`<a rel="prev" href="${listUrl(filter, { before: page.before })}">← Previous ${PAGE_SIZE}</a>` : html``}${page.after !== undefined ? html`<a rel="next" href="${listUrl(filter, { after: page.after })}">Next ${PAGE_SIZE} →</a>` : html``}</nav>
</section>
<aside>
<h2>Add a subscriber</h2>${problemList(opts.problems ?? [])}
<form method="post" action="/admin/subscribers/add" novalidate>
<label for="add-email">Email address</label><input id="add-email" type="email" name="email" value="${add.email}" required maxlength="254">
<label for="add-name">Name</label><input id="add-name" type="text" name="name" value="${add.name}" maxlength="200">
<label for="add-timezone">Time zone</label>${zoneSelect({ id: 'add-timezone', name: 'timezone', selected: add.timezone })}
${placeFields(add, placeSettings(config), PLACE)}
${kindChoices(config.kinds, add.kinds.length === 0 ? 'none' : add.kinds)}
<label><input type="checkbox" name="reactivate" value="1"${add.reactivate ? html` checked` : html``}> They unsubscribed before and asked to come back</label>
<button type="submit">Add</button>
</form>
<p class="hint">The address becomes active at once: you vouch for it, as <code>event-digest subscribers add</code> does.</p>
<h2>Import a CSV file</h2>
<form method="post" action="${IMPORT_PATH}" enctype="multipart/form-data">
<label for="file">File (UTF-8, header <code>${CSV_COLUMNS.join(',')}</code>: only <code>email</code> is required, any order)</label><input id="file" type="file" name="file" accept=".csv,text/csv" required>
<button type="submit">Import</button>
</form>
<p class="hint">As <code>event-digest subscribers import</code>: new addresses become active, known ones are updated, suppressed ones are left alone; each rejected row is reported; the rest goes in as one.</p>
<h2>By status</h2><table class="counts"><tbody>${SUBSCRIBER_STATUSES.map((s) => html`<tr><th><a href="${listUrl({ text: '', status: s })}">${s}</a></th><td class="num" data-status="${s}">${byStatus[s]}</td></tr>`)}</tbody></table>
<h2>Active, by what they get</h2><table class="counts"><tbody>${config.kinds.map((k) => html`<tr><th>${kindHeading(k)}</th><td class="num" data-kind="${k}">${byKind[k]}</td></tr>`)}</tbody></table>
</aside></div>`,
      opts.status,
    );
  }

  app.get('/', async (c) => {
    const filter = filterFrom((k) => c.req.query(k));
    const done = async (key: 'added' | 'unsubscribed', words: (s: Subscriber) => Markup) => {
      const id = cursor(c.req.query(key));
      const s = id === undefined ? undefined : await store.subscribers.get(id);
      return s ? notice('ok', words(s)) : undefined;
    };
    const top =
      (await done('added', (s) => html`<strong>${s.email}</strong> is on the list: ${s.status}${s.location ? `, near ${s.location.name} (${s.radius ?? config.radius} ${config.distanceUnit})` : ''}.`)) ??
      (await done('unsubscribed', (s) => html`<strong>${s.email}</strong> is unsubscribed and kept as a suppression.`));
    return listPage(c, { filter, after: cursor(c.req.query('after')), before: cursor(c.req.query('before')), top });
  });

  app.post('/add', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const values = {
      email: fieldText(body.email),
      name: fieldText(body.name),
      timezone: fieldText(body.timezone),
      kinds: fieldList(body.kinds),
      location: fieldText(body.location),
      radius: fieldText(body.radius),
      reactivate: fieldText(body.reactivate) === '1',
    };
    const again = (problems: { field: string; message: string }[], status: ContentfulStatusCode) => listPage(c, { filter: { text: '' }, add: values, problems, status });
    const checked = await checkForm(values, config.kinds, 'Pick at least one kind of event.', { location: PLACE.label });
    if (!checked.ok) return again(checked.problems, 400);
    // Left blank, the place (and the radius that goes with it) of a reader already on the list stays as it is.
    if (!values.location.trim()) {
      delete checked.fields.location;
      delete checked.fields.radius;
    }
    try {
      const { subscriber } = await store.subscribers.add(checked.fields, { source: 'admin', reactivate: values.reactivate });
      return c.redirect(listUrl({ text: '' }, { added: subscriber.id }), 303);
    } catch (e) {
      if (e instanceof DigestError && e.code === 'SUPPRESSED') {
        return again([{ field: 'email', message: `${e.message}. If they asked to come back, tick the box below and add again.` }], 409);
      }
      throw e;
    }
  });

  app.post('/:id/unsubscribe', async (c) => {
    const id = cursor(c.req.param('id'));
    const s = id === undefined ? undefined : await store.subscribers.unsubscribe(id);
    if (!s) return show(c, 'Not found', html`<h1>No such subscriber</h1><p><a href="/admin/subscribers">The list</a></p>`, 404);
    // Back to the page the button was on, rebuilt from its filter and cursor only.
    const back = new URLSearchParams(fieldText((await c.req.parseBody()).back).split('?')[1] ?? '');
    const filter = filterFrom((k) => back.get(k) ?? undefined);
    return c.redirect(listUrl(filter, { after: cursor(back.get('after') ?? undefined), before: cursor(back.get('before') ?? undefined), unsubscribed: s.id }), 303);
  });

  app.get('/export.csv', (c) => {
    const filter = filterFrom((k) => c.req.query(k));
    const day = deps.clock.now().toISOString().slice(0, 10);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="subscribers-${day}.csv"`);
    c.header('Cache-Control', 'no-store');
    return c.body(subscriberCsv(store.subscribers, { status: filter.status, text: filter.text }));
  });

  app.post(
    '/import',
    bodyLimit({ maxSize: MAX_IMPORT_BYTES, onError: (c) => show(c, 'Too large', html`<h1>File too large</h1>${notice('error', `Files up to ${MAX_IMPORT_BYTES / 1024 / 1024} MB; import a larger list in parts, or with event-digest subscribers import. Nothing was imported.`)}`, 413) }),
    async (c) => {
      let file: unknown;
      try {
        file = (await c.req.parseBody()).file;
      } catch {
        return importPage(c, undefined, html`${notice('error', 'The upload could not be read; nothing was imported.')}`, 400);
      }
      if (!(file instanceof File) || file.size === 0) return importPage(c, undefined, html`${notice('error', 'Choose a CSV file to import.')}`, 400);
      // The name is shown and recorded as the source: only its last part, printable, short.
      const name = file.name.split(/[\\/]/).pop()!.replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 100) || 'upload.csv';
      try {
        const report = await importSubscriberCsv(store.subscribers, await file.text(), { file: name, kinds: config.kinds, source: `admin-import:${name}`, from: 'web' });
        const lines = importReportLines(name, report);
        return importPage(c, name, html`${notice(report.rejected.length > 0 ? 'warn' : 'ok', lines[lines.length - 1])}<pre class="report" id="import-report">${lines.join('\n')}</pre>`);
      } catch (e) {
        if (e instanceof DigestError && e.code === 'IMPORT_INVALID') return importPage(c, name, html`${notice('error', e.message)}`, 400);
        throw e;
      }
    },
  );

  const importPage = (c: Context, name: string | undefined, body: Markup, status: ContentfulStatusCode = 200) =>
    show(c, 'Import', html`<h1>Import${name ? html` of ${name}` : html``}</h1>${body}<p><a href="/admin/subscribers">Back to the list</a></p>`, status);

  return app;
}
