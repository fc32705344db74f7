// `select`: the occurrences a digest for a date would list, as the contract's JSON or a readable list.
import { cutFindings, selectWindow, selectionToJson } from '../../calendar/select.ts';
import { selectionPolicy } from '../../config/schema.ts';
import { escapeControls } from '../../control-chars.ts';
import { formatFinding } from '../../events/finding.ts';
import { locationText } from '../../events/location.ts';
import { instantToIso } from '../../calendar/wall-time.ts';
import { windowFor } from '../../calendar/window.ts';
import { requireValid } from '../../events/sources.ts';
import type { Occurrence } from '../../calendar/occurrence.ts';
import { parseDateOption, parseIntOption, parseZoneOption } from '../args.ts';
import type { Context } from '../context.ts';

export interface SelectOptions {
  asOf?: string;
  weeks?: string;
  tz?: string;
  json?: boolean;
}

export async function selectCommand(ctx: Context, opts: SelectOptions): Promise<number> {
  const zone = parseZoneOption(opts.tz, '--tz', ctx.config.timezone);
  const asOf = parseDateOption(opts.asOf, '--as-of', ctx.clock, zone);
  const weeks = parseIntOption(opts.weeks, '--weeks', ctx.config.weeks, 1, 52);
  const calendar = requireValid(await ctx.loadEvents());
  const selection = selectWindow(calendar.events, windowFor(asOf, weeks, zone), selectionPolicy(ctx.config));
  // Events cut at the cap go to stderr, so the JSON on stdout stays the contract's.
  for (const f of cutFindings(selection)) ctx.io.err(formatFinding(f));
  if (opts.json) {
    ctx.io.out(JSON.stringify(selectionToJson(selection), null, 2));
    return 0;
  }
  const json = selectionToJson(selection);
  ctx.io.out(`${json.window.start} – ${json.window.end} (${zone}): ${selection.occurrences.length} occurrence(s)`);
  for (const o of selection.occurrences) ctx.io.out(line(o));
  if (selection.saveTheDate.length > 0) {
    ctx.io.out('Save the date:');
    for (const o of selection.saveTheDate) ctx.io.out(line(o));
  }
  return 0;
}

function line(o: Occurrence): string {
  const when = o.allDay ? (o.start === o.end ? o.start : `${o.start} – ${o.end}`) : `${instantToIso(o.startMs, o.timezone)} (${o.timezone})`;
  const flags = o.ongoing ? ' [ongoing]' : '';
  return escapeControls(`  ${when}  ${o.kind}: ${o.title}${flags}${locationText(o.location) ? ` — ${locationText(o.location)}` : ''}`);
}
