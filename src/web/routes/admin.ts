// Organizer pages: the next issue's preview with its checks, a test send, history, the outbox; the subscriber list (admin-subscribers.ts).
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DateTime } from 'luxon';
import { isIanaZone, isLocalDate } from '../../calendar/wall-time.ts';
import { selectWindow } from '../../calendar/select.ts';
import { windowFor } from '../../calendar/window.ts';
import { selectionPolicy } from '../../config/schema.ts';
import { changeList } from '../../changes/badges.ts';
import type { ChangeSet } from '../../changes/model.ts';
import { changesSincePrevious } from '../../changes/previous.ts';
import { formatFinding, hasErrors } from '../../events/finding.ts';
import type { CalendarEvent } from '../../events/model.ts';
import { buildPreview, sampleReader, subscriberReader, type Preview, type PreviewReader } from '../../mail/preview.ts';
import { issueNote, listSlug } from '../../mail/send-issue.ts';
import { POSTAL_ADDRESS_PROBLEM, postalAddressMissing } from '../../mail/postal-address.ts';
import { sendTestMessage } from '../../mail/test-send.ts';
import { kindHeading } from '../../render/digest-view.ts';
import { nextRun } from '../../schedule/next-run.ts';
import { addressProblem } from '../../subscribers/address.ts';
import { MAX_RADIUS } from '../../subscribers/input.ts';
import { DigestError } from '../../errors.ts';
import { preSendChecks, type Check } from '../checks.ts';
import { adminCorrectionRoutes } from './admin-corrections.ts';
import { adminSubscriberRoutes } from './admin-subscribers.ts';
import type { WebDeps } from '../deps.ts';
import { AdminSessions } from '../admin-sessions.ts';
import { auditClient, auditSection, AUDIT_SHOWN } from '../pages/audit.ts';
import { remoteAddress } from '../client.ts';
import { ADMIN_COOKIE, adminAuth, sameSecret } from '../middleware/admin-auth/index.ts';
import { DIGEST_CSP } from '../middleware/security-headers/index.ts';
import { addressText, listOutbox, readOutboxMessage } from '../outbox-reader.ts';
import { fieldText, kindChoices, zoneDatalist } from '../pages/forms.ts';
import { notice, page, type Markup } from '../pages/layout.ts';

interface PreviewQuery {
  date: string;
  tz: string;
  kinds: string[];
  subscriber: string;
  /** A sample reader's place, as typed ("Columbus, OH", "43215"); blank: no place. */
  near: string;
  radius: string;
}

/** `sessionTtlMs`: how long a login lasts (config limits.adminSessionHours). */
export function adminRoutes(deps: WebDeps, sessionTtlMs: number): Hono {
  const { config, store, clock } = deps;
  const app = new Hono();
  const sessions = config.adminToken === undefined ? undefined : new AdminSessions(store.adminSessions, clock, { token: config.adminToken, secret: deps.linkSecret, ttlMs: sessionTtlMs });
  const show = (c: Context, title: string, body: Markup, status: ContentfulStatusCode = 200) => c.html(page({ title, listName: config.listName, admin: true }, body), status);

  // ---- login (only when a token is configured) ----
  const loginPage = (c: Context, status: ContentfulStatusCode, problem?: string) =>
    show(
      c,
      'Organizer login',
      config.adminToken === undefined
        ? html`<h1>Organizer pages</h1><p>No admin token is configured (DIGEST_ADMIN_TOKEN), so these pages answer only on this machine's loopback address.</p>`
        : html`<h1>Organizer login</h1>${problem ? notice('error', problem) : html``}
<form method="post" action="/admin/login"><label for="token">Admin token</label><input id="token" type="password" name="token" autocomplete="current-password" required><button type="submit">Log in</button></form>`,
      status,
    );
  app.get('/login', (c) => loginPage(c, 200));
  app.post('/login', async (c) => {
    const token = fieldText((await c.req.parseBody()).token);
    if (!sessions || config.adminToken === undefined || !sameSecret(token, config.adminToken)) return loginPage(c, 401, 'That token is not right.');
    const id = await sessions.open(`${remoteAddress(c) ?? 'unknown'} ${c.req.header('user-agent') ?? ''}`.trim());
    setCookie(c, ADMIN_COOKIE, id, {
      path: '/admin',
      httpOnly: true,
      sameSite: 'Strict',
      secure: config.baseUrl.startsWith('https:'),
      maxAge: Math.floor(sessions.ttlMs / 1000),
    });
    return c.redirect('/admin', 303);
  });
  app.post('/logout', async (c) => {
    const id = getCookie(c, ADMIN_COOKIE);
    if (id && sessions) await sessions.end(id);
    deleteCookie(c, ADMIN_COOKIE, { path: '/admin' });
    return c.redirect('/admin/login', 303);
  });

  app.use(
    '*',
    adminAuth({
      token: config.adminToken,
      sessions,
      deny: (c, why) =>
        why === 'login'
          ? loginPage(c, 401)
          : show(c, 'Not here', html`<h1>Organizer pages answer only on loopback</h1><p>Without an admin token they answer only to a browser on this machine, not through a proxy. Set DIGEST_ADMIN_TOKEN to reach them from elsewhere.</p>`, 403),
    }),
  );

  // ---- preview ----
  function nextIssueDate(): string {
    const next = nextRun(config.schedule, config.timezone, clock.now());
    return (next ?? DateTime.fromJSDate(clock.now(), { zone: config.timezone })).toISODate() as string;
  }

  function previewQuery(c: Context): { q: PreviewQuery; problems: string[] } {
    const problems: string[] = [];
    const date = c.req.query('date') || nextIssueDate();
    if (!isLocalDate(date)) problems.push(`'${date}' is not a date (YYYY-MM-DD)`);
    const tz = c.req.query('tz') || config.timezone;
    if (!isIanaZone(tz)) problems.push(`'${tz}' is not a known IANA time zone`);
    const kinds = c.req.queries('kinds') ?? [];
    for (const k of kinds) if (!config.kinds.includes(k)) problems.push(`unknown kind '${k}'`);
    const subscriber = (c.req.query('subscriber') ?? '').trim();
    const near = (c.req.query('near') ?? '').trim();
    const radius = (c.req.query('radius') ?? '').trim() || String(config.radius);
    if (!/^\d+$/.test(radius) || Number(radius) < 1 || Number(radius) > MAX_RADIUS) problems.push(`radius '${radius}' is not a whole number from 1 to ${MAX_RADIUS}`);
    return { q: { date, tz, kinds: kinds.length === config.kinds.length ? [] : kinds, subscriber, near, radius }, problems };
  }

  const queryString = (q: PreviewQuery) => {
    const p = new URLSearchParams({ date: q.date, tz: q.tz });
    for (const k of q.kinds) p.append('kinds', k);
    if (q.subscriber) p.set('subscriber', q.subscriber);
    if (q.near) p.set('near', q.near);
    if (q.near && q.radius !== String(config.radius)) p.set('radius', q.radius);
    return p.toString();
  };

  /** The preview for the query, or what stops it (bad input, no such subscriber, a calendar with errors). */
  async function previewFor(q: PreviewQuery): Promise<{ preview?: Preview; problems: string[]; checks: Check[]; events?: readonly CalendarEvent[]; note?: string; changes?: ChangeSet }> {
    const loaded = await deps.loadEvents();
    let reader: PreviewReader = sampleReader(config, { zone: q.tz, kinds: q.kinds });
    let subscriberId: number | undefined;
    if (q.near && !q.subscriber) {
      // The gazetteer only for a place typed; an unknown one is the asker's to fix, in the resolver's words.
      const { readerPlaceFor } = await import('../../places/near-select.ts');
      try {
        reader = sampleReader(config, { zone: q.tz, kinds: q.kinds, near: (await readerPlaceFor(q.near, Number(q.radius))).near });
      } catch (e) {
        if (e instanceof DigestError && e.code === 'UNKNOWN_PLACE') return { problems: [e.message], checks: [] };
        throw e;
      }
    }
    if (q.subscriber) {
      const s = await store.subscribers.findByEmail(q.subscriber);
      if (!s) return { problems: [`no subscriber ${q.subscriber}`], checks: [] };
      reader = subscriberReader(config, deps.linkSecret, s);
      subscriberId = s.id;
    }
    if (hasErrors(loaded.findings)) {
      const errors = loaded.findings.filter((f) => f.severity === 'error');
      return { problems: ['the calendar has errors, so no digest can be built: see the checks'], checks: errors.map((f) => ({ severity: 'error' as const, message: formatFinding(f) })) };
    }
    const note = await issueNote(config, store, q.date);
    // The badges as send would show them (a real subscriber who did not get the previous issue sees no changed or cancelled entries).
    const selection = selectWindow(loaded.calendar.events, windowFor(q.date, config.weeks, config.timezone), selectionPolicy(config));
    const changes = await changesSincePrevious(store, listSlug(config), loaded.calendar, selection);
    if (changes && subscriberId !== undefined) reader = { ...reader, variant: { ...reader.variant, fresh: !changes.received.has(subscriberId) } };
    const preview = await buildPreview({ config, calendar: loaded.calendar, clock, asOf: q.date, reader, note, selection, changes: changes?.set });
    const checks = preSendChecks({
      findings: loaded.findings,
      selection: preview.selection,
      kinds: reader.variant.kinds.length === 0 ? config.kinds : reader.variant.kinds,
      htmlBytes: Buffer.byteLength(preview.html),
      readerZones: await store.subscribers.activeCountByZone(),
      listZone: config.timezone,
      postalAddress: !postalAddressMissing(config) || (config.smtp ? 'refused' : 'missing'),
    });
    return { preview, problems: [], checks, events: loaded.calendar.events, note, changes: changes?.set };
  }

  app.get('/', async (c) => {
    const { q, problems } = previewQuery(c);
    const r = problems.length === 0 ? await previewFor(q) : { problems, checks: [] as Check[], preview: undefined };
    const p = r.preview;
    const qs = queryString(q);
    // The first 500 by address for the field's suggestions: never the whole list.
    const subscribers = (await store.subscribers.search({ status: 'active', limit: 500 })).subscribers;
    return show(
      c,
      'Preview',
      html`<h1>Next issue${p ? html`: ${p.compiled.view.windowLabel}` : html``}</h1>
<form class="preview-form" method="get" action="/admin">
<div><label for="date">Issue date</label><input id="date" type="date" name="date" value="${q.date}"></div>
<div><label for="tz">Reader's time zone</label><input id="tz" type="text" name="tz" value="${q.tz}" list="zones"></div>
${zoneDatalist()}
<div>${kindChoices(config.kinds, q.kinds)}</div>
<div><label for="near">Reader's place <span class="hint">(optional)</span></label><input id="near" type="text" name="near" value="${q.near}" placeholder="Columbus, OH"></div>
<div><label for="radius">Within (${config.distanceUnit})</label><input id="radius" type="number" name="radius" min="1" max="${MAX_RADIUS}" value="${q.radius}"></div>
<div><label for="subscriber">Or a real subscriber</label><input id="subscriber" type="email" name="subscriber" value="${q.subscriber}" list="subscribers" placeholder="their address">
<datalist id="subscribers">${subscribers.map((s) => html`<option value="${s.email}"></option>`)}</datalist></div>
<div><button type="submit">Preview</button></div>
</form>
${r.problems.length > 0 ? html`<div class="problems" role="alert"><ul>${r.problems.map((m) => html`<li>${m}</li>`)}</ul></div>` : html``}
<div class="columns">
<section>
${p
  ? html`<dl class="meta"><dt>Subject</dt><dd id="subject">${p.subject}</dd><dt>Preheader</dt><dd id="preheader">${p.preheader}</dd>
<dt>Reader</dt><dd>${p.reader.name ?? '(no name)'} &lt;${p.reader.address}&gt;, ${p.reader.variant.zone}, ${p.reader.variant.kinds.length === 0 ? 'every kind' : p.reader.variant.kinds.map(kindHeading).join(', ')}${p.reader.variant.near ? html`, <span id="near-place">near ${p.reader.variant.near.name} (${p.reader.variant.near.radius} ${config.distanceUnit})</span>` : html``}</dd>
<dt>Listed</dt><dd>${p.compiled.view.total} entr${p.compiled.view.total === 1 ? 'y' : 'ies'} (${p.selection.occurrences.length} occurrence${p.selection.occurrences.length === 1 ? '' : 's'}), ${p.selection.saveTheDate.length} save-the-date</dd>
<dt>Changes since the last issue</dt><dd>${r.changes ? changesSince(r.changes, p, p.reader.variant.zone) : html`none: no issue was sent before this one`}</dd>
<dt>Organizer's note</dt><dd id="note">${r.note ? html`<pre class="text">${r.note}</pre>` : html`none`}<p class="hint">Set it with <code>event-digest note ${q.date} --file note.md</code>; it shows at the top of this issue.</p></dd></dl>
<p><a href="/admin/preview.eml?${qs}" download>Download the .eml</a> · <a href="/admin/preview.html?${qs}" target="_blank" rel="noopener">Open the HTML alone</a></p>
<div class="frames">
<figure><figcaption>Desktop (640 px)</figcaption><iframe class="desktop" title="The digest at desktop width" src="/admin/preview.html?${qs}"></iframe></figure>
<figure><figcaption>Phone (360 px)</figcaption><iframe class="phone" title="The digest at phone width" src="/admin/preview.html?${qs}"></iframe></figure>
</div>
${p.selection.occurrences.length === 0 ? nearbyEvents(q, r.events ?? []) : html``}
<h2>Text version</h2><pre class="text" id="text-version">${p.text}</pre>`
  : html``}
</section>
<aside>
<h2>Checks</h2>
<ul class="checks">${r.checks.map((ch) => html`<li class="${ch.severity}">${ch.severity === 'ok' ? '✓' : ch.severity === 'error' ? '✗' : '!'} ${ch.message}</li>`)}</ul>
<h2>Send a test</h2>
<form method="post" action="/admin/test"><input type="hidden" name="date" value="${q.date}">
<label for="to">To</label><input id="to" type="email" name="to" required placeholder="you@example.org"><button type="submit">Send a test to me</button></form>
<p class="hint">The ${q.date} issue, marked [Test], through ${deps.transport.name}; nothing is recorded but the audit line below.</p>
${auditSection(await store.audit.recent(AUDIT_SHOWN))}
</aside>
</div>`,
      // Input that cannot be previewed is the asker's to fix: a 4xx with the reasons on the page.
      r.preview || problems.length === 0 && r.checks.length > 0 ? 200 : 400,
    );
  });

  /** "Changes since the 2016-11-28 issue": each badged occurrence, and a link to the corrections for the last one. */
  function changesSince(changes: ChangeSet, p: Preview, zone: string): Markup {
    const lines = changeList(p.selection, changes, zone);
    return html`<p>Since the <a href="/archive/${changes.since}">${changes.since} issue</a>: ${lines.length === 0 ? 'nothing new, changed or cancelled' : html`${lines.length} change${lines.length === 1 ? '' : 's'}`}. <a href="/admin/corrections">Corrections</a></p>${lines.length > 0 ? html`<ul id="changes">${lines.map((l) => html`<li>${l}</li>`)}</ul>` : html``}`;
  }

  /** An empty window: the calendar's events nearest the date, each with a link to preview the issue that lists it. */
  function nearbyEvents(q: PreviewQuery, calendarEvents: readonly CalendarEvent[]): Markup {
    const target = Date.parse(q.date);
    const events = calendarEvents
      .map((e) => ({ e, date: e.start.slice(0, 10) }))
      .sort((a, b) => Math.abs(Date.parse(a.date) - target) - Math.abs(Date.parse(b.date) - target))
      .slice(0, 5);
    if (events.length === 0) return html``;
    const issueDate = (date: string) => {
      const run = nextRun(config.schedule, config.timezone, DateTime.fromISO(date, { zone: config.timezone }).minus({ days: 7 }).endOf('day').toJSDate());
      return (run && run.toISODate()! <= date ? run.toISODate() : date) as string;
    };
    return html`${notice('warn', 'Nothing is scheduled for this reader in this window. The events nearest this date:')}
<ul class="nearby">${events.map(({ e, date }) => {
      const d = issueDate(date);
      return html`<li>${e.title} (from ${date}): <a href="/admin?${queryString({ ...q, date: d })}">preview the ${d} issue</a></li>`;
    })}</ul>`;
  }

  const framed = (c: Context) => {
    c.header('Content-Security-Policy', DIGEST_CSP);
    c.header('X-Frame-Options', 'SAMEORIGIN');
  };

  app.get('/preview.html', async (c) => {
    const { q, problems } = previewQuery(c);
    const r = problems.length === 0 ? await previewFor(q) : { problems, checks: [], preview: undefined };
    framed(c);
    if (!r.preview) return c.text(r.problems.join('\n'), 400);
    return c.html(r.preview.html);
  });

  app.get('/preview.eml', async (c) => {
    const { q, problems } = previewQuery(c);
    const r = problems.length === 0 ? await previewFor(q) : { problems, checks: [], preview: undefined };
    if (!r.preview) return c.text(r.problems.join('\n'), 400);
    c.header('Content-Type', 'message/rfc822');
    c.header('Content-Disposition', `attachment; filename="digest-${q.date}.eml"`);
    return c.body(new Uint8Array(r.preview.eml));
  });

  // ---- test send ----
  app.post('/test', async (c) => {
    const body = await c.req.parseBody();
    const to = fieldText(body.to).trim();
    const date = fieldText(body.date) || nextIssueDate();
    const bad = addressProblem(to) ?? (isLocalDate(date) ? undefined : `'${date}' is not a date`);
    if (bad) return show(c, 'Test not sent', html`<h1>Test not sent</h1>${notice('error', bad)}<p><a href="/admin">Back to the preview</a></p>`, 400);
    if (config.smtp && postalAddressMissing(config)) return show(c, 'Test not sent', html`<h1>Test not sent</h1>${notice('error', `${POSTAL_ADDRESS_PROBLEM}; not mailing through SMTP`)}`, 409);
    const loaded = await deps.loadEvents();
    if (hasErrors(loaded.findings)) return show(c, 'Test not sent', html`<h1>Test not sent</h1>${notice('error', 'The calendar has errors; see the checks on the preview page.')}`, 409);
    const selection = selectWindow(loaded.calendar.events, windowFor(date, config.weeks, config.timezone), selectionPolicy(config));
    const note = await issueNote(config, store, date);
    const changes = await changesSincePrevious(store, listSlug(config), loaded.calendar, selection);
    const result = await sendTestMessage({ config, calendar: loaded.calendar, selection, store, transport: deps.transport, clock, note, changes }, to);
    await store.audit.record({ action: 'test-send', detail: `the ${date} issue${result.ok ? '' : ' (not accepted)'}`, client: auditClient(c) });
    return result.ok
      ? show(c, 'Test sent', html`<h1>Test sent</h1>${notice('ok', html`The ${date} issue went to <strong>${to}</strong>: ${result.response}`)}<p><a href="/admin?date=${date}">Back to the preview</a>${deps.outboxDir ? html` · <a href="/admin/outbox">Open the outbox</a>` : html``}</p>`)
      : show(c, 'Test not sent', html`<h1>Test not sent</h1>${notice('error', html`The server did not accept it: ${result.failure.reply}`)}<p><a href="/admin?date=${date}">Back to the preview</a></p>`, 502);
  });

  // ---- history; the subscriber list has its own file ----
  app.get('/history', async (c) => {
    const issues = await store.issues.list(listSlug(config));
    const counts = await Promise.all(issues.map((i) => store.deliveries.counts(i.id)));
    return show(
      c,
      'History',
      html`<h1>Issues</h1>${issues.length === 0
        ? html`<p>No issue has been sent yet.</p>`
        : html`<table><thead><tr><th>Window</th><th>Subject</th><th class="num">Sent</th><th class="num">Failed</th><th class="num">Deferred</th><th class="num">Skipped</th><th class="num">Not yet</th></tr></thead><tbody>
${issues.map((i, k) => {
  const n = counts[k];
  return html`<tr><td><a href="/archive/${i.windowStart}">${i.windowStart}</a></td><td>${i.subject}</td><td class="num">${n.sent}</td><td class="num">${n.failed}</td><td class="num">${n.deferred}</td><td class="num">${n.skipped}</td><td class="num">${n.queued + n.sending}</td></tr>`;
})}</tbody></table>`}`,
    );
  });

  app.route('/subscribers', adminSubscriberRoutes(deps, show));
  app.route('/corrections', adminCorrectionRoutes(deps, show));

  // ---- the file outbox as a mailbox ----
  app.get('/outbox', async (c) => {
    if (!deps.outboxDir) return show(c, 'Outbox', html`<h1>Outbox</h1><p>Mail goes through SMTP (${deps.transport.name}); there is no file outbox to show.</p>`);
    const { total, entries } = await listOutbox(deps.outboxDir);
    return show(
      c,
      'Outbox',
      html`<h1>Outbox</h1><p class="hint">${total} message${total === 1 ? '' : 's'} in ${deps.outboxDir}${total > entries.length ? html`, the newest ${entries.length} shown` : html``}.</p>
${entries.length === 0
  ? html`<p>Nothing has been sent yet.</p>`
  : html`<table><thead><tr><th>To</th><th>Subject</th><th>Folder</th><th>Written</th></tr></thead><tbody>${entries.map(
      (e) => html`<tr><td>${e.to}</td><td><a href="/admin/outbox/${e.folder}/${e.file}">${e.subject}</a></td><td>${e.folder}</td><td>${new Date(e.mtimeMs).toISOString().replace('T', ' ').slice(0, 19)}</td></tr>`,
    )}</tbody></table>`}`,
    );
  });

  const message = (c: Context) => (deps.outboxDir ? readOutboxMessage(deps.outboxDir, c.req.param('folder') ?? '', c.req.param('file') ?? '') : Promise.resolve(undefined));
  const noMessage = (c: Context) => show(c, 'Not found', html`<h1>No such message</h1><p><a href="/admin/outbox">The outbox</a></p>`, 404);

  app.get('/outbox/:folder/:file', async (c) => {
    const m = await message(c);
    if (!m) return noMessage(c);
    const base = `/admin/outbox/${c.req.param('folder')}/${c.req.param('file')}`;
    const headers = ['from', 'to', 'subject', 'date', 'message-id', 'list-id', 'list-unsubscribe', 'list-unsubscribe-post'];
    return show(
      c,
      m.mail.subject ?? 'Message',
      html`<h1>${m.mail.subject ?? '(no subject)'}</h1>
<table class="headers"><tbody>${headers.map((h) => {
  const v = m.mail.headerLines.find((l) => l.key === h);
  return v ? html`<tr><th>${h}</th><td>${v.line.slice(v.line.indexOf(':') + 1).trim()}</td></tr>` : html``;
})}</tbody></table>
<p><a href="${base}/raw" download>Download the .eml</a> · To: ${addressText(m.mail.to)}</p>
${m.mail.html ? html`<div class="frames"><figure><figcaption>HTML</figcaption><iframe class="desktop" title="The message" src="${base}/html"></iframe></figure></div>` : html``}
<h2>Text</h2><pre class="text">${m.mail.text ?? ''}</pre>`,
    );
  });

  app.get('/outbox/:folder/:file/html', async (c) => {
    const m = await message(c);
    if (!m || !m.mail.html) return noMessage(c);
    framed(c);
    return c.html(m.mail.html);
  });

  app.get('/outbox/:folder/:file/raw', async (c) => {
    const m = await message(c);
    if (!m) return noMessage(c);
    c.header('Content-Type', 'message/rfc822');
    c.header('Content-Disposition', `attachment; filename="${c.req.param('file')}"`);
    return c.body(new Uint8Array(m.raw));
  });

  return app;
}
