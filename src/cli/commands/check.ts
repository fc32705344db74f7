// `check`: every finding in every source, one line each; exit 1 if any is an error.
import { escapeControls } from '../../control-chars.ts';
import { formatFinding } from '../../events/finding.ts';
import type { Context } from '../context.ts';

export async function checkCommand(ctx: Context): Promise<number> {
  const { calendar, findings } = await ctx.loadEvents();
  // One line each: a title with a newline must not forge a finding or a summary.
  for (const f of findings) ctx.io.out(escapeControls(formatFinding(f)));
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const sources = ctx.config.events.length;
  ctx.io.out(
    `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}; ` +
      `${calendar.events.length} valid event${calendar.events.length === 1 ? '' : 's'} from ${sources} source${sources === 1 ? '' : 's'}`,
  );
  return errors > 0 ? 1 : 0;
}
