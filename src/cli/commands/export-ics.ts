// `export-ics`: all our events as one iCalendar file, which imports back as the same events (private places only with --private).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportIcs } from '../../events/ics/export.ts';
import { publicCalendar } from '../../events/private-details.ts';
import { requireValid } from '../../events/sources.ts';
import type { Context } from '../context.ts';

export async function exportIcsCommand(ctx: Context, opts: { out?: string; private?: boolean }): Promise<number> {
  const full = requireValid(await ctx.loadEvents());
  // A file that leaves the organizers' hands is public unless they ask for the private details.
  const calendar = opts.private ? full : publicCalendar(full);
  const text = exportIcs(calendar, { now: ctx.clock.now(), calendarName: 'event-digest' });
  if (opts.out) {
    writeFileSync(resolve(ctx.io.cwd, opts.out), text);
    ctx.io.out(opts.out);
  } else {
    ctx.io.out(text.replace(/\r\n$/, ''));
  }
  return 0;
}
