// The page shell: every value goes through hono/html's escaping; raw() only for markup built here.
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PageOptions {
  title: string;
  listName: string;
  /** Organizer pages get the wide layout and their own navigation. */
  admin?: boolean;
}

export function page(opts: PageOptions, body: Markup): Markup {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${opts.title} · ${opts.listName}</title>
<link rel="stylesheet" href="/assets/site.css">
<script src="/assets/site.js" defer></script>
</head>
<body class="${opts.admin ? 'admin' : 'reader'}">
<header class="site"><a class="brand" href="${opts.admin ? '/admin' : '/'}">${opts.listName}</a>${opts.admin
    ? html`<nav><a href="/admin">Preview</a> <a href="/admin/history">History</a> <a href="/admin/corrections">Corrections</a> <a href="/admin/subscribers">Subscribers</a> <a href="/admin/outbox">Outbox</a> <a href="/">Public site</a></nav>`
    : html`<nav><a href="/subscribe">Subscribe</a> <a href="/archive">Archive</a> <a href="/calendar.ics">Calendar</a></nav>`}</header>
<main>
${body}
</main>
</body>
</html>`;
}

/** Problems shown above a form, each tied to its field. */
export function problemList(problems: readonly { field: string; message: string }[]): Markup {
  if (problems.length === 0) return html``;
  return html`<div class="problems" role="alert"><p>Please check the form:</p><ul>${problems.map((p) => html`<li data-field="${p.field}">${p.message}</li>`)}</ul></div>`;
}

export function notice(kind: 'ok' | 'warn' | 'error', text: Markup | string): Markup {
  return html`<p class="notice ${kind}" role="status">${text}</p>`;
}
