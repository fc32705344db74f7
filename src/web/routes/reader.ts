// Reader pages: subscribe (double opt-in), confirm, unsubscribe (RFC 8058 one-click and by kind), preferences.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { noticeMessage, type Notice } from '../../mail/notices.ts';
import { kindHeading } from '../../render/digest-view.ts';
import { emailKey } from '../../subscribers/address.ts';
import { appUrl } from '../../subscribers/links.ts';
import { isSuppressed, type Subscriber } from '../../subscribers/model.ts';
import { readToken, signToken, verifyToken } from '../../subscribers/tokens.ts';
import type { WebDeps } from '../deps.ts';
import type { WebLimits } from '../limits.ts';
import { clientKey } from '../middleware/request-guards/index.ts';
import { checkForm, fieldList, fieldText, freshSubscription, kindChoices, placeSettings, subscribeForm, subscriberForm, tickedKinds, type FormValues } from '../pages/forms.ts';
import { notice, page, type Markup } from '../pages/layout.ts';

/** Text with every spelling of the address (any case) replaced. */
function withoutAddress(text: string, email: string): string {
  return text.replace(new RegExp(email.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '<address>');
}

/** A confirmation link works this long. */
export const CONFIRM_TTL_MS = 7 * 24 * 3600 * 1000;

export function readerRoutes(deps: WebDeps, limits: WebLimits): Hono {
  const { config, store, clock } = deps;
  const app = new Hono();
  const secret = deps.linkSecret;
  const show = (c: Context, title: string, body: Markup, status: ContentfulStatusCode = 200) => c.html(page({ title, listName: config.listName }, body), status);
  const notFound = (c: Context) =>
    show(c, 'Link not valid', html`<h1>This link is not valid</h1><p>It may be incomplete or out of date. The links at the bottom of any digest always work.</p><p><a href="/subscribe">Subscribe</a></p>`, 404);
  /** A subscriber from a signed token, or undefined (the caller answers 404 and says nothing more). */
  const fromToken = async (purpose: 'unsubscribe' | 'preferences', token: string): Promise<Subscriber | undefined> => {
    const id = verifyToken(secret, purpose, token);
    return id === undefined ? undefined : store.subscribers.get(id);
  };
  const send = async (n: Notice) => {
    const m = await noticeMessage(config, n, clock.now());
    await deps.transport.send(m);
  };

  // ---- subscribe ----
  // A fresh form guesses the browser's zone; one sent back with problems keeps what was sent.
  const subscribePage = (c: Context, values: FormValues, problems: { field: string; message: string }[], status: ContentfulStatusCode = 200) =>
    show(
      c,
      'Subscribe',
      html`<h1>Subscribe to ${config.listName}</h1>${subscribeForm(config, values, problems)}`,
      status,
    );

  app.get('/subscribe', (c) => subscribePage(c, freshSubscription(config), []));

  const tooMany = (c: Context) => {
    c.header('Retry-After', String(config.limits.windowMinutes * 60));
    return show(c, 'Too many requests', html`<h1>Too many requests</h1><p>Please wait a few minutes and try again.</p>`, 429);
  };

  // Every POST is counted per client before it gets here (app.ts), except the unsubscribe one, counted below.
  app.post('/subscribe', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const values: FormValues = { email: fieldText(body.email), name: fieldText(body.name), timezone: fieldText(body.timezone), kinds: fieldList(body.kinds), location: fieldText(body.location), radius: fieldText(body.radius) };
    const checked = await checkForm(values, config.kinds, 'Pick at least one kind of event.');
    if (!checked.ok) return subscribePage(c, values, checked.problems, 400);

    const { subscriber, outcome, requestedAt } = await store.subscribers.requestSubscription(checked.fields, 'web');
    // Whatever the address's state, the page is the same: it must not tell who is subscribed.
    if (await limits.perAddress.take(emailKey(subscriber.email))) {
      try {
        const mail = subscribeMail(subscriber, outcome, requestedAt);
        if (mail) await send(mail);
      } catch (e) {
        // The server's reply may quote the address: the log line names the subscriber by id only.
        deps.log?.(`web: could not mail subscriber ${subscriber.id}: ${withoutAddress((e as Error).message, subscriber.email)}`);
        deps.debug?.(`web: subscriber ${subscriber.id} is ${subscriber.email}`);
        return show(c, 'Try again later', html`<h1>We could not send the mail just now</h1><p>Please try again in a little while.</p>`, 503);
      }
    }
    return show(
      c,
      'Check your inbox',
      html`<h1>Check your inbox</h1>${notice('ok', html`If <strong>${checked.fields.email}</strong> can receive ${config.listName}, a message with a link is on its way. Follow it to confirm.`)}
${placeNote(checked.note, 'you can change it under My preferences, linked at the foot of every digest')}
<p class="hint">Nothing arrived after a few minutes? Look in the spam folder, or try again later.</p>`,
    );
  });

  /** `requestedAt`: the request's time, which its confirmation link carries (and the store keys its choices by). */
  function subscribeMail(s: Subscriber, outcome: string, requestedAt: Date): Notice | undefined {
    // The bare address: a name typed by whoever filled the form must not speak in anyone's To: line.
    const to = { name: null, address: s.email };
    const confirm = (): Notice => ({
      to,
      subject: `Confirm your subscription to ${config.listName}`,
      paragraphs: [`Someone, probably you, asked to receive ${config.listName} at this address.`, 'If it was you, confirm with the link below. If not, ignore this message: nothing will be sent.'],
      action: { label: 'Confirm my subscription', url: appUrl(config.baseUrl, `confirm/${signToken(secret, 'confirm', s.id, requestedAt)}`) },
    });
    if (outcome === 'created' || outcome === 'pending') return confirm();
    // An address that left may come back, but only through the link (bounced and complained ones never hear from us).
    if (s.status === 'unsubscribed') return confirm();
    if (outcome === 'active')
      return {
        to,
        subject: `You already receive ${config.listName}`,
        paragraphs: [`Someone, probably you, asked to subscribe this address to ${config.listName}. It is already subscribed.`, 'You can change your name, time zone and what you get here:'],
        action: { label: 'My preferences', url: appUrl(config.baseUrl, `preferences/${signToken(secret, 'preferences', s.id)}`) },
      };
    return undefined;
  }

  // ---- confirm: a GET shows a button (mail scanners follow links), the POST confirms ----
  const confirmId = (token: string) => {
    const t = readToken(secret, 'confirm', token);
    if (!t?.issuedAt) return undefined;
    const age = clock.now().getTime() - t.issuedAt.getTime();
    return age >= -60_000 && age <= CONFIRM_TTL_MS ? t : undefined;
  };

  app.get('/confirm/:token', async (c) => {
    const t = confirmId(c.req.param('token'));
    const s = t && (await store.subscribers.get(t.id));
    if (!t || !s || s.status === 'bounced' || s.status === 'complained') return notFound(c);
    return show(
      c,
      'Confirm',
      html`<h1>Confirm your subscription</h1><p>To receive ${config.listName} at <strong>${s.email}</strong>, confirm:</p>
<form method="post" action="/confirm/${c.req.param('token')}"><button type="submit">Confirm my subscription</button></form>`,
    );
  });

  app.post('/confirm/:token', async (c) => {
    const t = confirmId(c.req.param('token'));
    const s = t && (await store.subscribers.confirm(t.id, t.issuedAt));
    if (!t || !s || s.status !== 'active') return notFound(c);
    const prefs = `/preferences/${signToken(secret, 'preferences', s.id)}`;
    return show(
      c,
      'Subscribed',
      html`<h1>You are subscribed</h1>${notice('ok', html`<strong>${s.email}</strong> will receive ${config.listName} every week.`)}
<p><a href="${prefs}">Change your name, time zone or what you get</a></p>`,
    );
  });

  // ---- unsubscribe (RFC 8058): POST unsubscribes, needs no cookie, answers 200; GET changes nothing ----
  app.get('/unsubscribe', (c) =>
    show(c, 'Unsubscribe', html`<h1>Unsubscribe</h1><p>Every digest ends with a personal unsubscribe link: use the one in the message you received.</p>`),
  );

  app.get('/unsubscribe/:token', async (c) => {
    const s = await fromToken('unsubscribe', c.req.param('token'));
    if (!s) return notFound(c);
    const action = `/unsubscribe/${c.req.param('token')}`;
    if (isSuppressed(s.status)) return unsubscribedPage(c, s);
    const current = s.kinds.length === 0 ? config.kinds : s.kinds;
    return show(
      c,
      'Unsubscribe',
      html`<h1>Unsubscribe</h1><p>Stop sending ${config.listName} to <strong>${s.email}</strong>?</p>
<form method="post" action="${action}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
${current.length > 1
  ? html`<h2>Or only stop some of it</h2><p>Keep the digest, without:</p>
<form method="post" action="${action}">${kindChoices(current, 'none', 'stop')}<button type="submit" class="secondary">Stop these only</button></form>`
  : html``}`,
    );
  });

  app.post('/unsubscribe/:token', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const stop = fieldList(body.stop).filter((k) => config.kinds.includes(k));
    // RFC 8058's one-click comes from mail providers' servers, many per address: a generous limit of its own.
    if (!(await (stop.length > 0 ? limits.perClient : limits.oneClick).take(clientKey(c)))) return tooMany(c);
    const s = await fromToken('unsubscribe', c.req.param('token'));
    if (!s) return notFound(c);
    if (stop.length > 0 && !isSuppressed(s.status)) {
      const keep = (s.kinds.length === 0 ? config.kinds : s.kinds).filter((k) => !stop.includes(k));
      if (keep.length > 0) {
        const after = (await store.subscribers.updatePreferences(s.id, { kinds: keep }))!;
        return show(
          c,
          'Preferences saved',
          html`<h1>Done</h1>${notice('ok', html`You will no longer get ${stop.map(kindHeading).join(', ').toLowerCase()}. You still get: ${after.kinds.map(kindHeading).join(', ').toLowerCase()}.`)}
<p><a href="/preferences/${signToken(secret, 'preferences', s.id)}">All your preferences</a></p>`,
        );
      }
    }
    return unsubscribedPage(c, (await store.subscribers.unsubscribe(s.id))!);
  });

  function unsubscribedPage(c: Context, s: Subscriber) {
    return show(
      c,
      'Unsubscribed',
      html`<h1>You are unsubscribed</h1>${notice('ok', html`<strong>${s.email}</strong> will receive no more digests from ${config.listName}.`)}
<p>Changed your mind? <a href="/subscribe">Subscribe again</a>.</p>`,
    );
  }

  /** Which town an ambiguous place was taken to be ("'Springfield' is Springfield, IL, the largest of 33 …"). */
  const placeNote = (note: string | undefined, then: string) => (note ? notice('warn', html`Where you are: ${note}; ${then}.`) : html``);

  // ---- preferences ----
  /** `saved`: the form was saved, with the note on the place taken when its name was ambiguous. */
  const prefsPage = (c: Context, s: Subscriber, values: FormValues, problems: { field: string; message: string }[], saved: false | { placeNote?: string }, status: ContentfulStatusCode = 200) =>
    show(
      c,
      'Preferences',
      html`<h1>Your preferences</h1>${saved ? notice('ok', 'Saved. The next digest will follow these choices.') : html``}
${placeNote(saved ? saved.placeNote : undefined, 'change it below if you meant another')}
${isSuppressed(s.status) ? notice('warn', html`This address is unsubscribed and gets no digest. <a href="/subscribe">Subscribe again</a>.`) : html``}
${subscriberForm({ action: `/preferences/${c.req.param('token')}`, values, problems, kinds: config.kinds, emailEditable: false, submit: 'Save', places: placeSettings(config) })}
<p class="hint"><a href="/unsubscribe/${signToken(secret, 'unsubscribe', s.id)}">Unsubscribe</a> · <a href="/preferences/${c.req.param('token')}/delete">Delete my data</a></p>`,
      status,
    );

  app.get('/preferences/:token', async (c) => {
    const s = await fromToken('preferences', c.req.param('token'));
    if (!s) return notFound(c);
    return prefsPage(c, s, storedValues(s), [], false);
  });

  app.post('/preferences/:token', async (c) => {
    const s = await fromToken('preferences', c.req.param('token'));
    if (!s) return notFound(c);
    const body = await c.req.parseBody({ all: true });
    const values: FormValues = { email: s.email, name: fieldText(body.name), timezone: fieldText(body.timezone), kinds: fieldList(body.kinds), location: fieldText(body.location), radius: fieldText(body.radius) };
    // The stored place comes back as its name: kept as it is, not looked up again.
    const same = values.location?.trim() === (s.location?.name ?? '');
    const checked = await checkForm(same ? { ...values, location: undefined } : values, config.kinds, 'Pick at least one kind of event (or unsubscribe below).');
    if (!checked.ok) return prefsPage(c, s, values, checked.problems, false, 400);
    const { email: _email, ...fields } = checked.fields;
    const after = (await store.subscribers.updatePreferences(s.id, { ...fields, timezone: fields.timezone ?? config.timezone }))!;
    return prefsPage(c, after, storedValues(after), [], { placeNote: checked.note });
  });

  /** What the preferences form shows for a stored subscriber. */
  function storedValues(s: Subscriber): FormValues {
    return { email: s.email, name: s.name ?? '', timezone: s.timezone, kinds: tickedKinds(s.kinds, config.kinds), location: s.location?.name ?? '', radius: String(s.radius ?? config.radius) };
  }

  return app;
}
