// The coming weeks' events as site markup, from the digest's own view model (what the archive compiles to mail HTML).
import { html } from 'hono/html';
import type { Block, Inline } from '../../render/markdown.ts';
import type { DigestView, EntryView } from '../../render/digest-view.ts';
import { unguard } from '../../render/safe-text.ts';
import type { Markup } from './layout.ts';

// The view model carries "{" as a sentinel for the mail's second template stage; the site has none.
const t = (s: string) => unguard(s);

function inlines(xs: Inline[]): Markup[] {
  return xs.map((i) => {
    const parts = i.parts.map((p) => {
      let m: Markup = html`${t(p.text)}`;
      if (p.code) m = html`<code>${m}</code>`;
      if (p.em) m = html`<em>${m}</em>`;
      if (p.strong) m = html`<strong>${m}</strong>`;
      return m;
    });
    return i.href ? html`<a href="${t(i.href)}" rel="noopener">${parts}</a>` : html`${parts}`;
  });
}

function description(blocks: Block[]): Markup[] {
  return blocks.map((b) =>
    'paragraph' in b
      ? html`<p>${inlines(b.paragraph)}</p>`
      : b.ordered
        ? html`<ol>${b.list.map((item) => html`<li>${inlines(item)}</li>`)}</ol>`
        : html`<ul>${b.list.map((item) => html`<li>${inlines(item)}</li>`)}</ul>`,
  );
}

function eventItem(e: EntryView): Markup {
  const links = [...(e.button ? [e.button] : []), ...e.links];
  return html`<article class="event" id="${e.anchor}">
<h3 dir="auto"><a href="${t(e.url)}">${t(e.title)}</a>${e.tentative ? html` <span class="hint">(tentative)</span>` : html``}</h3>
<p class="when">${t(e.when)}</p>
${e.dates ? html`<p class="hint">${t(e.dates)}</p>` : html``}
${e.place ? html`<p dir="auto">${t(e.place)}${e.mapUrl ? html` · <a href="${t(e.mapUrl)}" rel="noopener">Map</a>` : html``}</p>` : html``}
${e.online ? html`<p>${t(e.online)}${e.join ? html` · <a href="${t(e.join.url)}" rel="noopener">${t(e.join.label)}</a>` : html``}</p>` : html``}
${e.hostedBy ? html`<p class="hint" dir="auto">Hosted by ${t(e.hostedBy)}</p>` : html``}
<div dir="auto">${description(e.description)}${e.moreUrl ? html`<p><a href="${t(e.moreUrl)}">More →</a></p>` : html``}</div>
<p class="links">${links.map((l) => html`<a href="${t(l.url)}" aria-label="${t(l.aria)}" rel="noopener">${t(l.label)}</a> · `)}${e.unlinked.map((l) => html`${t(l)} (link to come) · `)}<a href="${e.cal.ics}">Add to calendar</a></p>
</article>`;
}

/** The window's sections and its "save the date" list; an empty window says so. */
export function upcomingEvents(view: DigestView, zone: string): Markup {
  if (view.quiet && view.saveTheDate.length === 0) {
    return html`<p>Nothing is scheduled from ${view.windowLabel}.</p>`;
  }
  return html`${view.sections.map((s) => html`<section class="kind" data-kind="${s.kind}"><h2>${s.heading}</h2>${s.items.map(eventItem)}</section>`)}
${view.saveTheDate.length > 0
  ? html`<section class="save-the-date"><h2>Save the date</h2><ul>${view.saveTheDate.map(
      (e) => html`<li><span dir="auto">${e.url ? html`<a href="${t(e.url)}" rel="noopener">${t(e.title)}</a>` : t(e.title)}</span> · ${t(e.when)}${e.where ? html` · ${t(e.where)}` : html``}</li>`,
    )}</ul></section>`
  : html``}
<p class="hint">Online events are shown in the list's time zone, ${zone.replace(/_/g, ' ')}; in-person ones in the venue's.</p>`;
}
