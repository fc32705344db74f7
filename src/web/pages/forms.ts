// The subscriber form (subscribe and preferences share it) and the choices it offers.
import { html } from 'hono/html';
import type { Config } from '../../config/schema.ts';
import { checkSubscriber, checkSubscriberWithPlace, type CheckedSubscriber, type FieldProblem } from '../../subscribers/input.ts';
import { kindHeading } from '../../render/digest-view.ts';
import { problemList, type Markup } from './layout.ts';
import { zoneSelect } from './zone-choices.ts';

export interface FormValues {
  email: string;
  name: string;
  timezone: string;
  /** The boxes ticked, exactly: a form that failed shows what was sent (none ticked stays none). */
  kinds: readonly string[];
  /** Where the reader is, as typed (or the stored place's name); blank: no place. Undefined: the form has no such field. */
  location?: string;
  /** The radius chosen, as sent. */
  radius?: string;
}

/** The list's distance settings, for the location field and the radius choice. */
export interface PlaceSettings {
  unit: 'mi' | 'km';
  /** Config `radius`: the choice a reader starts with. */
  radius: number;
}

const RADIUS_CHOICES = [5, 10, 25, 50, 100, 250, 500];

/** Where a form's place fields differ: the organizer's add form has its own ids and speaks of the reader. */
export interface PlaceFieldWords {
  /** Prefixed to the fields' ids (the admin page holds other forms). */
  idPrefix?: string;
  /** The location field's label, which its problems repeat (checkForm's `labels`). */
  label?: string;
}

/** The location field (optional) and a radius choice: the list's radius, a few others, and whatever was sent. */
export function placeFields(v: FormValues, places: PlaceSettings, words: PlaceFieldWords = {}): Markup {
  const id = (name: string) => `${words.idPrefix ?? ''}${name}`;
  const chosen = v.radius?.trim() || String(places.radius);
  const choices = [...new Set([...RADIUS_CHOICES, places.radius, ...(/^\d+$/.test(chosen) ? [Number(chosen)] : [])])].sort((a, b) => a - b);
  return html`<label for="${id('location')}">${words.label ?? LABELS.location} <span class="hint">(optional: a town with its state or country, or a US ZIP code)</span></label>
<input id="${id('location')}" type="text" name="location" value="${v.location ?? ''}" autocomplete="off" maxlength="200" placeholder="Columbus, OH">
<label for="${id('radius')}">Events within</label>
<select id="${id('radius')}" name="radius">${choices.map((n) => html`<option value="${n}"${String(n) === chosen ? html` selected` : html``}>${n} ${places.unit}</option>`)}</select>
<p class="hint">With a place, the digest lists in-person events within this distance, nearest first; national and online events always. We keep only the town and its coordinates.</p>`;
}

/** Stored kinds (empty: every kind) as the boxes a form shows ticked. */
export function tickedKinds(stored: readonly string[], all: readonly string[]): readonly string[] {
  return stored.length === 0 ? all : stored;
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
  /** A fresh form: the page's script picks the browser's zone (without script, the list's zone stays). */
  detectZone?: boolean;
  /** Shows the location field and the radius choice. */
  places?: PlaceSettings;
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
${zoneSelect({ id: 'timezone', name: 'timezone', selected: v.timezone, detect: opts.detectZone })}
<p class="hint">Times in the digest are shown in this zone: pick the city nearest you.</p>
${opts.places ? placeFields(v, opts.places) : html``}
${kindChoices(opts.kinds, v.kinds.length === 0 ? 'none' : v.kinds)}
<button type="submit">${opts.submit}</button>
</form>`;
}

/** The subscribe form as a fresh visitor sees it: every kind ticked, the list's zone until the browser's is known. */
export function freshSubscription(config: Config): FormValues {
  return { email: '', name: '', timezone: config.timezone, kinds: config.kinds, location: '', radius: String(config.radius) };
}

export function placeSettings(config: Config): PlaceSettings {
  return { unit: config.distanceUnit, radius: config.radius };
}

/** The subscribe form with its introduction (the subscribe page and the home page). */
export function subscribeForm(config: Config, values: FormValues, problems: readonly { field: string; message: string }[]): Markup {
  const fresh = problems.length === 0 && values.email === '';
  return html`<p>One email a week with the actions, webinars and conferences of the coming weeks. We will send you a link to confirm.</p>
${subscriberForm({ action: '/subscribe', values, problems, kinds: config.kinds, emailEditable: true, submit: 'Subscribe', detectZone: fresh, places: placeSettings(config) })}`;
}

/** Form fields as parseBody({ all: true }) gives them: one string, several, or none. */
export function fieldList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export function fieldText(v: unknown): string {
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

/**
 * A posted subscriber form, checked as the CLI checks a subscriber: every problem, each tied to its field and
 * worded for the page. No box ticked is a problem (`noKinds` says what to do); every box ticked is stored as
 * "every kind" (empty), so kinds added later reach this reader too.
 * `labels` names fields as a form other than the reader's own labels them.
 */
/**
 * A form's fields checked as the CLI checks them, a place looked up in the gazetteer; `note` says which of
 * several towns of that name was taken ("'Springfield' is Springfield, IL, the largest of …"), to show the reader.
 */
export async function checkForm(values: FormValues, kinds: readonly string[], noKinds: string, labels: Partial<typeof LABELS> = {}): Promise<CheckedSubscriber & { note?: string }> {
  const problems: FieldProblem[] = [];
  const chosen = kinds.every((k) => values.kinds.includes(k)) ? [] : [...values.kinds];
  const raw = { ...values, kinds: chosen };
  // The gazetteer loads only for a place typed (a blank one just clears it).
  const checked = values.location?.trim() ? await checkSubscriberWithPlace(raw, kinds, (await import('../../places/lookup.ts')).gazetteerLookup) : checkSubscriber({ ...raw, location: undefined }, kinds);
  if (values.location?.trim() === '' && checked.ok) checked.fields.location = null;
  if (!checked.ok) problems.push(...checked.problems.map((p) => friendly(p, { ...LABELS, ...labels })));
  if (values.kinds.length === 0) problems.push({ field: 'kinds', message: noKinds });
  return problems.length === 0 && checked.ok ? checked : { ok: false, problems };
}

/** The fields as the reader's forms label them; a problem starts with its field's label. */
const LABELS: Record<FieldProblem['field'], string> = { email: 'Email address', name: 'Name', firstName: 'First name', timezone: 'Time zone', kinds: 'What to get', location: 'Where you are', radius: 'Events within' };

function friendly<P extends FieldProblem>(p: P, labels: Record<FieldProblem['field'], string>): P {
  const label = labels[p.field] ?? p.field;
  return { ...p, message: p.field === 'kinds' && !p.message.startsWith('unknown') ? p.message : `${label}: ${p.message}` };
}
