// `init [DIR]`: a starting point for one's own organisation: a commented config, sample events dated from today, a sample list.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { DateTime } from 'luxon';
import type { Clock } from '../../clock.ts';
import { CONFIG_FILE } from '../../config/load.ts';
import { DigestError } from '../../errors.ts';
import { TEMPLATES_DIR } from '../../render/templates.ts';
import { parseZoneOption } from '../args.ts';
import type { Io } from '../io.ts';

const FILES = [
  { name: CONFIG_FILE, what: 'every setting, with its default and what it does' },
  { name: 'events.yaml', what: 'four sample events dated from today: make them your own' },
  { name: 'subscribers.csv', what: 'two sample readers: put your own address first' },
] as const;

const WEEKDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** The values the starter files are filled with: the samples fall inside the first digest's window, whatever the day. */
export function starterValues(clock: Clock, timezone: string): Record<string, string> {
  const today = DateTime.fromJSDate(clock.now(), { zone: timezone }).startOf('day');
  const at = (days: number, hour: number, minute = 0) => today.plus({ days }).set({ hour, minute }).toFormat("yyyy-MM-dd'T'HH:mm");
  const day = (days: number) => today.plus({ days }).toISODate() as string;
  return {
    timezone,
    calendarName: 'Our Group',
    meetingStart: at(1, 18, 30),
    meetingEnd: at(1, 20),
    meetingDay: WEEKDAY[today.plus({ days: 1 }).weekday - 1],
    onlineDate: day(3),
    onlineStart: at(3, 18),
    onlineEnd: at(3, 20),
    actionDate: day(9),
    actionStart: at(9, 11),
    actionEnd: at(9, 13),
    conferenceStart: day(17),
    conferenceEnd: day(18),
  };
}

/** Fills only the names given: the config's own `{{summary}}` and `{{window}}` stay as they are. */
function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (all, name: string) => values[name] ?? all);
}

export function initCommand(io: Io, clock: Clock, dirArg: string | undefined, opts: { tz?: string }): number {
  const timezone = parseZoneOption(opts.tz, '--tz', 'America/New_York');
  const dir = resolve(io.cwd, dirArg ?? '.');
  const existing = FILES.map((f) => join(dir, f.name)).filter((p) => existsSync(p));
  if (existing.length > 0) throw new DigestError('USAGE', `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}; init overwrites nothing (nothing was written)`);
  mkdirSync(dir, { recursive: true });
  const values = starterValues(clock, timezone);
  for (const f of FILES) {
    const path = join(dir, f.name);
    // 'wx': a file that appeared since the check above is still not overwritten.
    writeFileSync(path, fill(readFileSync(join(TEMPLATES_DIR, 'init', f.name), 'utf8'), values), { flag: 'wx' });
    io.out(`wrote ${path} (${f.what})`);
  }
  const rel = relative(io.cwd, dir);
  io.out(rel === '' ? 'next: edit those files, then' : `next: cd ${rel}, edit those files, then`);
  io.out('  npx event-digest check                                # what to fix, and what is missing before a real send');
  io.out('  npx event-digest preview                              # out/digest.html: your digest as a reader gets it');
  io.out('  npx event-digest subscribers import subscribers.csv   # your list');
  return 0;
}
