// `export-ics`: all our events as one iCalendar file, which imports back as the same events.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportIcs } from '../../events/ics/export.ts';
import { requireValid } from '../../events/sources.ts';
import type { Context } from '../context.ts';

export async function exportIcsCommand(ctx: Context, opts: { out?: string }): Promise<number> {
  const calendar = requireValid(await ctx.loadEvents());
  const text = exportIcs(calendar, { now: ctx.clock.now(), calendarName: 'event-digest' });
  if (opts.out) {
    writeFileSync(resolve(ctx.io.cwd, opts.out), text);
    ctx.io.out(opts.out);
  } else {
    ctx.io.out(text.replace(/\r\n$/, ''));
  }
  return 0;
}
