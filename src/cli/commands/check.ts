// `check`: every finding in every source, one line each, then the configuration's readiness for a real send; exit 1 if any error.
import { formatConfigWarning, preflightWarnings } from '../../config/preflight.ts';
import { escapeControls } from '../../control-chars.ts';
import { formatFinding } from '../../events/finding.ts';
import { needsGazetteer, unplacedFindings } from '../../places/event-place.ts';
import { loadGazetteer } from '../../places/gazetteer.ts';
import type { Context } from '../context.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Which configuration file and which database a command works with: a second terminal or a cron job must not guess. */
export function whereLines(ctx: Context): string[] {
  return [`config: ${ctx.configFile ?? 'none (defaults and environment)'}`, `database: ${ctx.dbPath()}`];
}

export async function checkCommand(ctx: Context): Promise<number> {
  if (ctx.verbose) for (const l of whereLines(ctx)) ctx.io.out(l);
  const loaded = await ctx.loadEvents();
  const { calendar } = loaded;
  // The gazetteer loads only when an in-person event has no coordinates of its own (src/places).
  const findings = needsGazetteer(calendar.events) ? [...loaded.findings, ...(await unplacedFindings(await loadGazetteer(), calendar.events))] : loaded.findings;
  // One line each: a title with a newline must not forge a finding or a summary.
  for (const f of findings) ctx.io.out(escapeControls(formatFinding(f)));
  const setup = preflightWarnings(ctx.config);
  for (const w of setup) ctx.io.out(escapeControls(formatConfigWarning(w, ctx.configFile ?? 'configuration')));
  const errors = findings.filter((f) => f.severity === 'error').length;
  const sources = ctx.config.events.length;
  ctx.io.out(
    `${plural(errors, 'error')}, ${plural(findings.length - errors, 'warning')}; ` +
      `${plural(calendar.events.length, 'valid event')} from ${plural(sources, 'source')}` +
      (setup.length > 0 ? `; ${plural(setup.length, 'configuration warning')} before a real send` : '; the configuration is ready for a real send'),
  );
  return errors > 0 ? 1 : 0;
}
