// The organizers' audit trail on /admin: who did what (test sends, holds, releases, forgets, corrections), when.
import type { Context } from 'hono';
import { html } from 'hono/html';
import { escapeControls } from '../../control-chars.ts';
import type { AuditEntry } from '../../store/store.ts';
import { remoteAddress } from '../client.ts';
import type { Markup } from './layout.ts';

export const AUDIT_SHOWN = 20;

/** The peer address and User-Agent, as the login sessions record them: enough to recognise, bounded and printable. */
export function auditClient(c: Context): string {
  return escapeControls(`${remoteAddress(c) ?? 'unknown'} ${c.req.header('user-agent') ?? ''}`.trim()).slice(0, 300);
}

export function auditSection(entries: readonly AuditEntry[]): Markup {
  return html`<h2>Organizer actions</h2>${entries.length === 0
    ? html`<p class="hint">None recorded yet.</p>`
    : html`<table class="audit"><thead><tr><th>When (UTC)</th><th>What</th><th>Who</th></tr></thead><tbody>${entries.map(
        (e) => html`<tr><td>${e.at.slice(0, 16).replace('T', ' ')}</td><td>${e.action}: ${e.detail}</td><td>${e.client}</td></tr>`,
      )}</tbody></table>`}<p class="hint">The latest ${AUDIT_SHOWN}; test sends, holds, releases, forgotten subscribers and corrections sent.</p>`;
}
