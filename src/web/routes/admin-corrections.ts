// Organizer page for corrections: what moved or was cancelled since the last issue, whom it reaches, a preview, and a send button.
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { changeSummary, planCorrections, sendCorrections, type CorrectionsPlan } from '../../changes/send-corrections.ts';
import { auditClient } from '../pages/audit.ts';
import { refuseRealSend } from '../../mail/real-send.ts';
import { DigestError } from '../../errors.ts';
import { hasErrors } from '../../events/finding.ts';
import { appUrl } from '../../subscribers/links.ts';
import { correctionBodies } from '../../changes/correction-message.ts';
import type { WebDeps } from '../deps.ts';
import { fieldText } from '../pages/forms.ts';
import { notice } from '../pages/layout.ts';
import type { Show } from './admin-subscribers.ts';

/** What the organizer saw: a send is refused when the pending corrections changed since the page was drawn. */
const planHash = (plan: CorrectionsPlan) => createHash('sha256').update(plan.groups.map((g) => `${g.fingerprint}:${g.pending.join(',')}`).join(';')).digest('hex').slice(0, 16);

export function adminCorrectionRoutes(deps: WebDeps, show: Show): Hono {
  const { config, store, clock } = deps;
  const app = new Hono();

  async function currentPlan() {
    const loaded = await deps.loadEvents();
    if (hasErrors(loaded.findings)) return { problem: 'The calendar has errors; see the checks on the preview page. Nothing it seems to cancel is treated as cancelled.' };
    return { plan: await planCorrections(config, store, loaded.calendar, clock) };
  }

  const preview = (plan: CorrectionsPlan) => {
    const b = correctionBodies(config, plan.label, plan.changes, { name: 'Sample Reader', greeting: 'Sample Reader', zone: config.timezone, unsubscribeUrl: appUrl(config.baseUrl, 'unsubscribe/sample'), preferencesUrl: appUrl(config.baseUrl, 'preferences/sample') });
    return html`<dl class="meta"><dt>Subject</dt><dd id="correction-subject">${b.subject}</dd></dl><pre class="text" id="correction-preview">${b.text}</pre>`;
  };

  app.get('/', async (c) => {
    const { plan, problem } = await currentPlan();
    if (problem) return show(c, 'Corrections', html`<h1>Corrections</h1>${notice('error', problem)}`, 409);
    if (!plan) return show(c, 'Corrections', html`<h1>Corrections</h1><p>No issue has been sent yet.</p>`);
    const pending = plan.groups.reduce((n, g) => n + g.pending.length, 0);
    return show(
      c,
      'Corrections',
      html`<h1>Corrections to the ${plan.issue.windowStart} issue</h1><p class="hint">${plan.label}. Upcoming events it listed that have since moved (time or place) or been cancelled, and the readers whose copy listed them (their kinds then).</p>
${plan.changes.length === 0
  ? html`<p id="no-corrections">Nothing it listed has moved or been cancelled.</p>`
  : html`<table id="corrections"><thead><tr><th>Change</th><th class="num">Readers</th><th class="num">Not told yet</th></tr></thead><tbody>${changeSummary(plan, config.timezone).map(
      (ch) => html`<tr><td>${ch.line}</td><td class="num">${ch.readers}</td><td class="num">${ch.pending}</td></tr>`,
    )}</tbody></table>
<h2>Preview</h2><p class="hint">What a sample reader in ${config.timezone} whose copy listed every change gets (each reader gets the changes their copy listed, in their own zone).</p>
${preview(plan)}
${pending === 0
  ? html`<p>Every reader concerned has been told.</p>`
  : html`<form method="post" action="/admin/corrections/send"><input type="hidden" name="plan" value="${planHash(plan)}"><button type="submit">Send ${pending} correction${pending === 1 ? '' : 's'}</button></form>
<p class="hint">Through ${deps.transport.name}, by the same ledger as the digest: a reader gets one correction per set of changes, whoever presses or runs <code>event-digest corrections</code>.</p>`}`}`,
    );
  });

  app.post('/send', async (c) => {
    const seen = fieldText((await c.req.parseBody()).plan);
    const { plan, problem } = await currentPlan();
    if (problem || !plan) return show(c, 'Corrections not sent', html`<h1>Corrections not sent</h1>${notice('error', problem ?? 'No issue has been sent yet.')}`, 409);
    if (seen !== planHash(plan)) return show(c, 'Corrections not sent', html`<h1>Corrections not sent</h1>${notice('warn', 'The pending corrections changed since the page was drawn; look again before sending.')}<p><a href="/admin/corrections">Corrections</a></p>`, 409);
    try {
      refuseRealSend(config, 'corrections');
    } catch (e) {
      if (e instanceof DigestError) return show(c, 'Corrections not sent', html`<h1>Corrections not sent</h1>${notice('error', e.message)}`, 409);
      throw e;
    }
    const r = await sendCorrections({ config, store, transport: deps.transport, clock }, plan);
    if (r.kind === 'locked') return show(c, 'Corrections not sent', html`<h1>Corrections not sent</h1>${notice('warn', `They are being sent by ${r.heldBy.holder}.`)}`, 409);
    const n = r.counts;
    if (n.sent > 0) await store.audit.record({ action: 'corrections', detail: `the ${plan.issue.windowStart} issue: ${n.sent} sent`, client: auditClient(c) });
    return show(
      c,
      'Corrections sent',
      html`<h1>Corrections sent</h1>${notice(n.failed + n.deferred > 0 ? 'warn' : 'ok', `sent ${n.sent}, skipped ${n.skipped}, failed ${n.failed}, deferred ${n.deferred}`)}<p><a href="/admin/corrections">Corrections</a></p>`,
    );
  });

  return app;
}
