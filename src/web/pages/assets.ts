// The site's one stylesheet and one script, served from /assets (the CSP allows only 'self').

export const SITE_CSS = `
:root { color-scheme: light dark; --fg: #1f2933; --muted: #52606d; --bg: #fff; --panel: #f5f7fa; --line: #d9e2ec; --accent: #1d4ed8; --ok: #166534; --warn: #92400e; --err: #b91c1c; }
@media (prefers-color-scheme: dark) { :root { --fg: #e4e7eb; --muted: #9aa5b1; --bg: #111827; --panel: #1f2937; --line: #374151; --accent: #93c5fd; --ok: #86efac; --warn: #fcd34d; --err: #fca5a5; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--fg); background: var(--bg); }
header.site { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: baseline; padding: .75rem 1.25rem; border-bottom: 1px solid var(--line); }
header.site .brand { font-weight: 700; font-size: 1.1rem; color: var(--fg); text-decoration: none; }
header.site nav a { margin-right: 1rem; }
a { color: var(--accent); }
main { padding: 1.25rem; max-width: 40rem; margin: 0 auto; }
body.admin main { max-width: 80rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .25rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
label { display: block; font-weight: 600; margin: .9rem 0 .25rem; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: .9rem 0; padding: .5rem .9rem .8rem; }
fieldset label { display: inline-flex; gap: .4rem; font-weight: 400; margin: .3rem 1.2rem .3rem 0; }
legend { font-weight: 600; padding: 0 .3rem; }
input[type=text], input[type=email], input[type=date], input[type=password], select { width: 100%; max-width: 28rem; font: inherit; padding: .5rem .6rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
button { font: inherit; font-weight: 600; padding: .55rem 1.1rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: var(--bg); cursor: pointer; margin-top: 1rem; }
button.secondary { background: transparent; color: var(--accent); }
button.danger { background: #b3261e; border-color: #b3261e; color: #fff; }
.hint { color: var(--muted); font-size: .9rem; margin: .2rem 0; }
.notice { padding: .6rem .9rem; border-radius: 6px; background: var(--panel); border-left: 4px solid var(--accent); }
.notice.ok { border-color: var(--ok); } .notice.warn { border-color: var(--warn); } .notice.error { border-color: var(--err); }
.problems { border-left: 4px solid var(--err); background: var(--panel); padding: .4rem .9rem; border-radius: 6px; }
.problems li { color: var(--err); }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
pre.text { white-space: pre-wrap; background: var(--panel); padding: 1rem; border-radius: 6px; font-size: .85rem; max-height: 40rem; overflow: auto; }
.preview-form { display: flex; flex-wrap: wrap; gap: 0 1.25rem; align-items: end; }
.preview-form > div { min-width: 12rem; }
.preview-form fieldset { margin-bottom: 0; }
.meta dt { font-weight: 600; } .meta dd { margin: 0 0 .5rem; }
.frames { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
.frames figure { margin: 0; }
.frames figcaption { color: var(--muted); font-size: .85rem; margin-bottom: .3rem; }
.frames iframe { border: 1px solid var(--line); border-radius: 6px; background: #fff; height: 70rem; }
iframe.desktop { width: 640px; } iframe.phone { width: 360px; }
.checks li { margin: .25rem 0; } .checks .error { color: var(--err); } .checks .warning { color: var(--warn); } .checks .ok { color: var(--ok); }
a.button { display: inline-block; font-weight: 600; padding: .5rem 1rem; border-radius: 6px; background: var(--accent); color: var(--bg); text-decoration: none; margin: .25rem .4rem .25rem 0; }
a.button.secondary { background: transparent; color: var(--accent); border: 1px solid var(--accent); }
.event .when { font-size: 1.1rem; margin: .25rem 0; }
.event .state { color: var(--warn); }
.columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(16rem, 24rem); gap: 1.5rem; }
@media (max-width: 60rem) { .columns { grid-template-columns: 1fr; } }
main:has(> .home) { max-width: 66rem; }
.home { display: grid; grid-template-columns: minmax(0, 1fr) minmax(16rem, 22rem); gap: 0 2.5rem; align-items: start; }
@media (max-width: 52rem) { .home { grid-template-columns: 1fr; } }
.home aside { background: var(--panel); border-radius: 8px; padding: .25rem 1.1rem 1.1rem; }
.event { border-bottom: 1px solid var(--line); padding: .4rem 0 .6rem; }
.event h3 { font-size: 1.05rem; margin: .6rem 0 .15rem; }
.event .when { font-weight: 600; margin: 0 0 .3rem; }
.event p { margin: .3rem 0; }
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; }
.toolbar > div { min-width: 10rem; }
.toolbar button { margin-top: 0; }
.pager { display: flex; gap: 1.5rem; margin: .8rem 0; }
table.subscribers td:nth-child(6) { white-space: nowrap; }
td form { margin: 0; } td button { margin: 0; padding: .2rem .6rem; font-size: .85rem; }
pre.report { white-space: pre-wrap; background: var(--panel); padding: .8rem; border-radius: 6px; }
`;

/**
 * On a fresh form, selects the browser's own zone (added to the list when the runtime names it
 * differently); a zone the reader already picked, or one a failed form sent back, is left alone.
 */
export const SITE_JS = `
document.addEventListener('DOMContentLoaded', function () {
  var f = document.querySelector('select[data-detect-zone]');
  if (!f || !window.Intl) return;
  var chosen = f.options[f.selectedIndex];
  if (chosen && !chosen.defaultSelected) return;
  var z;
  try { z = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!z) return;
  for (var i = 0; i < f.options.length; i++) {
    var o = f.options[i];
    if (o.value === z || o.getAttribute('data-alias') === z) { f.selectedIndex = i; return; }
  }
  f.insertBefore(new Option(z.replace(/_/g, ' '), z, false, true), f.firstChild);
  f.selectedIndex = 0;
});
`;
