// `select`: the occurrences a digest for a date would list, as the contract's JSON or a readable list grouped by day.
import { existsSync } from 'node:fs';
import { DateTime } from 'luxon';
import { changesSincePrevious, type IssueChanges } from '../../changes/previous.ts';
import { sentIssueJson, withChanges } from '../../changes/select-json.ts';
import { changeList } from '../../changes/badges.ts';
import { changeFields } from '../../changes/compare.ts';
import { occurrenceKey } from '../../changes/snapshot.ts';
import { listSlug } from '../../mail/list-slug.ts';
import type { Calendar } from '../../events/model.ts';
import { cutFindings, selectWindow, selectionToJson, type Selection } from '../../calendar/select.ts';
import { distanceText } from '../../places/distance.ts';
import type { NearOccurrence } from '../../places/near-select.ts';
import type { ReaderPlace } from '../../places/nearby.ts';
import { MAX_RADIUS } from '../../subscribers/input.ts';
import { selectionPolicy } from '../../config/schema.ts';
import { escapeControls } from '../../control-chars.ts';
import { formatFinding } from '../../events/finding.ts';
import { locationText } from '../../events/location.ts';
import { windowFor } from '../../calendar/window.ts';
import { requireValid } from '../../events/sources.ts';
import type { Occurrence } from '../../calendar/occurrence.ts';
import { windowLabels } from '../../render/subject.ts';
import { parseDateOption, parseIntOption, parseZoneOption } from '../args.ts';
import type { Context } from '../context.ts';
import { parseDbSetting } from '../../store/db-setting.ts';
import { DigestError } from '../../errors.ts';

export interface SelectOptions {
  asOf?: string;
  weeks?: string;
  tz?: string;
  json?: boolean;
  since?: string;
  near?: string;
  radius?: string;
}

/**
 * The badges against the previous sent issue (or --since), and the issue sent for this window. Only a
 * database that exists is read: `select` never creates a SQLite file (a PostgreSQL database is the server's).
 */
async function sentHistory(ctx: Context, calendar: Calendar, selection: Selection, since: string | undefined) {
  const db = parseDbSetting(ctx.config.db, ctx.io.cwd);
  if (db.dialect === 'sqlite' && db.path !== ':memory:' && !existsSync(db.path)) {
    if (since !== undefined) throw new DigestError('USAGE', `--since ${since}: there is no database yet (${db.path}), so no issue was sent`);
    return { changes: undefined, sent: undefined };
  }
  const store = await ctx.openStore();
  const list = listSlug(ctx.config);
  const changes: IssueChanges | undefined = await changesSincePrevious(store, list, calendar, selection, since);
  const issue = await store.issues.find(list, selection.window.startDate);
  const snapshot = issue && (await store.snapshots.get(issue.id));
  return { changes, sent: issue && snapshot ? { issue, snapshot } : undefined };
}

export async function selectCommand(ctx: Context, opts: SelectOptions): Promise<number> {
  const zone = parseZoneOption(opts.tz, '--tz', ctx.config.timezone);
  const asOf = parseDateOption(opts.asOf, '--as-of', ctx.clock, zone);
  const weeks = parseIntOption(opts.weeks, '--weeks', ctx.config.weeks, 1, 52);
  if (opts.radius !== undefined && opts.near === undefined) throw new DigestError('USAGE', '--radius: only with --near PLACE');
  const radius = parseIntOption(opts.radius, '--radius', ctx.config.radius, 1, MAX_RADIUS);
  // The place first: a typo fails fast, before any feed is read. The gazetteer loads only with --near.
  const place = opts.near === undefined ? undefined : await (await import('../../places/near-select.ts')).readerPlaceFor(opts.near, radius);
  if (place?.note) ctx.io.err(escapeControls(`note: ${place.note}`));
  const calendar = requireValid(await ctx.loadEvents());
  const selection = selectWindow(calendar.events, windowFor(asOf, weeks, zone), selectionPolicy(ctx.config));
  // Events cut at the cap go to stderr, so the JSON on stdout stays the contract's.
  for (const f of cutFindings(selection)) ctx.io.err(formatFinding(f));
  if (opts.since !== undefined) parseDateOption(opts.since, '--since', ctx.clock, zone);
  const { changes, sent } = await sentHistory(ctx, calendar, selection, opts.since);
  if (place) return printNear(ctx, selection, place.near, zone, opts.json === true, changes, sent);
  if (opts.json) {
    ctx.io.out(JSON.stringify(withChanges(selectionToJson(selection), selection, changes?.set, sentIssueJson(sent)), null, 2));
    return 0;
  }
  const n = selection.occurrences.length;
  ctx.io.out(`${windowLabels(selection.window).long} (${zone}): ${n} event${n === 1 ? '' : 's'}`);
  printByDay(ctx, selection.occurrences, zone, selection.window.startDate);
  if (sent) ctx.io.out(`\nThe ${sent.issue.windowStart} issue was sent (snapshot of ${sent.snapshot.takenAt}); this list is the calendar as it is now.`);
  if (changes) {
    const lines = changeList(selection, changes.set, zone);
    ctx.io.out('');
    ctx.io.out(`Since the ${changes.set.since} issue: ${lines.length === 0 ? 'nothing new, changed or cancelled' : ''}`.trimEnd());
    for (const l of lines) ctx.io.out(escapeControls(`  ${l}`));
  }
  if (selection.saveTheDate.length > 0) {
    ctx.io.out('');
    ctx.io.out('Save the date:');
    for (const o of selection.saveTheDate) ctx.io.out(readableLine(o, zone));
  }
  return 0;
}

/** The selection as a reader at that place gets it: JSON with `near` and each occurrence's `distance`, or lines with "· 12 mi away". */
async function printNear(ctx: Context, selection: Selection, near: ReaderPlace, zone: string, json: boolean, changes: IssueChanges | undefined, sent: Parameters<typeof sentIssueJson>[0]): Promise<number> {
  const { nearSelection } = await import('../../places/near-select.ts');
  const unit = ctx.config.distanceUnit;
  const ns = await nearSelection(selection, near, unit);
  if (json) {
    const base = selectionToJson(selection);
    const asJson = (list: NearOccurrence[], all: readonly Occurrence[], shaped: typeof base.occurrences) => list.map((x) => ({ ...shaped[all.indexOf(x.occurrence)], ...changeFields(changes?.set, occurrenceKey(x.occurrence)), distance: x.distance }));
    ctx.io.out(
      JSON.stringify(
        {
          window: base.window,
          near: { place: near.name, lat: near.lat, lon: near.lon, radius: near.radius, unit, beyond: ns.beyond },
          occurrences: asJson(ns.occurrences, selection.occurrences, base.occurrences),
          saveTheDate: asJson(ns.saveTheDate, selection.saveTheDate, base.saveTheDate),
          changesSince: changes?.set.since ?? null,
          sentIssue: sentIssueJson(sent),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const n = ns.occurrences.length;
  ctx.io.out(escapeControls(`${windowLabels(selection.window).long} (${zone}) near ${near.name}, within ${near.radius} ${unit}: ${n} event${n === 1 ? '' : 's'}, ${ns.beyond} farther away left out`));
  ctx.io.out('');
  const away = (x: NearOccurrence) => (x.distance === null ? '' : ` · ${distanceText(x.distance, unit)}`);
  for (const x of ns.occurrences) ctx.io.out(readableLine(x.occurrence, zone) + away(x));
  if (ns.saveTheDate.length > 0) {
    ctx.io.out('');
    ctx.io.out('Save the date:');
    for (const x of ns.saveTheDate) ctx.io.out(readableLine(x.occurrence, zone) + away(x));
  }
  return 0;
}

/** A blank line before each day: the day is the first thing on each of its lines, so the groups read at a glance. */
function printByDay(ctx: Context, occurrences: readonly Occurrence[], zone: string, firstDay: string): void {
  let day: string | undefined;
  for (const o of occurrences) {
    const d = o.ongoing ? firstDay : o.allDay ? o.start : (DateTime.fromMillis(o.startMs, { zone }).toISODate() as string);
    if (d !== day) ctx.io.out('');
    day = d;
    ctx.io.out(readableLine(o, zone));
  }
}

/** "Tue, Dec 8, 6:00 PM CST · Phone bank · Online": times in the reader's zone, all-day dates as they are. */
export function readableLine(o: Occurrence, zone: string): string {
  const date = (iso: string) => DateTime.fromISO(iso, { locale: 'en-US' }).toFormat('ccc, LLL d');
  const when = o.allDay
    ? o.start === o.end
      ? `${date(o.start)}, all day`
      : `${date(o.start)} – ${date(o.end)}, all day`
    : DateTime.fromMillis(o.startMs, { zone, locale: 'en-US' }).toFormat('ccc, LLL d, h:mm a ZZZZ');
  const place = locationText(o.location);
  // One line each: a title with a newline must not forge another line.
  return escapeControls([when + (o.ongoing ? ' (under way)' : ''), o.title, ...(place ? [place] : [])].join(' · '));
}
