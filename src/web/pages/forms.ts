// The subscriber form (subscribe and preferences share it) and the choices it offers.
import { html } from 'hono/html';
import { kindHeading } from '../../render/digest-view.ts';
import { problemList, type Markup } from './layout.ts';

export interface FormValues {
  email: string;
  name: string;
  timezone: string;
  /** Chosen kinds; empty means all. */
  kinds: readonly string[];
}

let zones: string[] | undefined;
/** Every IANA zone the runtime knows, for the zone field's suggestions. */
export function zoneNames(): string[] {
  return (zones ??= Intl.supportedValuesOf('timeZone'));
}

export function zoneDatalist(): Markup {
  return html`<datalist id="zones">${zoneNames().map((z) => html`<option value="${z}"></option>`)}</datalist>`;
}

/** Checkboxes for the kinds; `chosen` as stored (empty: every kind), or 'none' for boxes that start unticked. */
export function kindChoices(all: readonly string[], chosen: readonly string[] | 'none', name = 'kinds'): Markup {
  const on = (k: string) => chosen !== 'none' && (chosen.length === 0 || chosen.includes(k));
  return html`<fieldset><legend>What to get</legend>${all.map(
    (k) => html`<label><input type="checkbox" name="${name}" value="${k}"${on(k) ? html` checked` : html``}> ${kindHeading(k)}</label>`,
  )}</fieldset>`;
}

export function subscriberForm(opts: {
  action: string;
  values: FormValues;
  problems: readonly { field: string; message: string }[];
  kinds: readonly string[];
  /** Subscribe: the address is typed; preferences: it is shown, not changed. */
  emailEditable: boolean;
  submit: string;
  detectZone?: boolean;
}): Markup {
  const v = opts.values;
  return html`${problemList(opts.problems)}
<form method="post" action="${opts.action}" novalidate>
${opts.emailEditable
    ? html`<label for="email">Email address</label><input id="email" type="email" name="email" value="${v.email}" required autocomplete="email" maxlength="254">`
    : html`<p class="hint">Address: <strong>${v.email}</strong></p>`}
<label for="name">Name <span class="hint">(optional, used to greet you)</span></label>
<input id="name" type="text" name="name" value="${v.name}" autocomplete="name" maxlength="200">
<label for="timezone">Time zone</label>
<input id="timezone" type="text" name="timezone" value="${v.timezone}" list="zones" autocomplete="off" maxlength="64"${opts.detectZone ? html` data-detect-zone` : html``}>
<p class="hint">Times in the digest are shown in this zone, for example America/Chicago.</p>
${zoneDatalist()}
${kindChoices(opts.kinds, v.kinds)}
<button type="submit">${opts.submit}</button>
</form>`;
}

/** Form fields as parseBody({ all: true }) gives them: one string, several, or none. */
export function fieldList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export function fieldText(v: unknown): string {
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}
