// Benchmarks the digest renderer: weight of a 40-event digest with long links, and 100,000 readers over 20 variants
// (MJML compiled once per variant, Handlebars per reader) against compiling MJML per reader.
import type { Bench } from './run.ts';
import { selectWindow } from '../src/calendar/select.ts';
import { windowFor } from '../src/calendar/window.ts';
import { renderVariant, variantKey } from '../src/render/digest.ts';
import type { CompiledVariant } from '../src/render/compile.ts';
import { fortyEvents, reader, SETTINGS, VARIANTS, ZONE } from './fixtures.ts';

async function run(): Promise<void> {
  const selection = selectWindow(fortyEvents(), windowFor('2016-11-28', 3, ZONE), { kinds: ['conference'], months: 6 });
  const all = await renderVariant(selection, { zone: ZONE, kinds: [] }, SETTINGS);
  const html = all.html(reader(1));
  const bytes = Buffer.byteLength(html);
  const entries = all.view.total;
  const shown = all.view.featured.length + all.view.sections.reduce((n, s) => n + s.items.length, 0);
  const footer = html.includes(`href="${reader(1).unsubscribeUrl}"`);
  const fixed = Buffer.byteLength((await renderVariant(selectWindow([], selection.window, { kinds: [], months: 0 }), { zone: ZONE, kinds: [] }, SETTINGS)).html(reader(1)));
  console.log(
    `40-event digest (three 150-character links each): ${entries} entries, ${shown} shown at maxPerSection ${SETTINGS.maxPerSection}, HTML ${(bytes / 1024).toFixed(1)} KB, footer ${footer ? 'inside' : 'MISSING'}: ${bytes < 90 * 1024 && footer ? 'PASS' : 'FAIL'} under 90 KB`,
  );
  const whole = Buffer.byteLength((await renderVariant(selection, { zone: ZONE, kinds: [] }, SETTINGS, { full: true })).html(reader(1)));
  console.log(`  every entry shown (the archive page): HTML ${(whole / 1024).toFixed(1)} KB; ${((bytes - fixed) / shown).toFixed(0)} bytes per entry beyond the ${(fixed / 1024).toFixed(1)} KB frame; text ${(Buffer.byteLength(all.text(reader(1))) / 1024).toFixed(1)} KB`);

  // Once per variant: MJML compile; then per reader: two precompiled Handlebars calls.
  const N = 100_000;
  const t0 = performance.now();
  const compiled = new Map<string, CompiledVariant>();
  for (const v of VARIANTS) compiled.set(variantKey(v), await renderVariant(selection, v, SETTINGS));
  const tCompile = performance.now() - t0;
  let total = 0;
  for (let i = 0; i < N; i++) {
    const c = compiled.get(variantKey(VARIANTS[i % VARIANTS.length])) as CompiledVariant;
    const r = reader(i);
    total += c.html(r).length + c.text(r).length;
  }
  const tAll = performance.now() - t0;
  console.log(`${N.toLocaleString('en-US')} readers over ${VARIANTS.length} variants: ${(tAll / 1000).toFixed(1)} s (${(tCompile / 1000).toFixed(2)} s compiling ${VARIANTS.length} variants, ${(((tAll - tCompile) / N) * 1000).toFixed(0)} µs per reader); ${(total / 1e9).toFixed(2)} GB of HTML+text: ${tAll < 30_000 ? 'PASS' : 'FAIL'} under 30 s`);

  // The baseline: MJML compiled for every reader, measured on a sample and scaled.
  const SAMPLE = 200;
  const t1 = performance.now();
  for (let i = 0; i < SAMPLE; i++) {
    const c = await renderVariant(selection, VARIANTS[i % VARIANTS.length], SETTINGS);
    total += c.html(reader(i)).length + c.text(reader(i)).length;
  }
  const perReader = (performance.now() - t1) / SAMPLE;
  const baseline = perReader * N;
  const ratio = baseline / tAll;
  console.log(`baseline, MJML per reader: ${perReader.toFixed(1)} ms per reader on ${SAMPLE} readers → ${(baseline / 1000 / 60).toFixed(1)} min for ${N.toLocaleString('en-US')}`);
  console.log(`ratio: ${ratio.toFixed(0)}× faster than compiling MJML per reader: ${ratio >= 100 ? 'PASS' : 'FAIL'} at or above 100×`);
}

export const bench: Bench = { name: 'render', description: 'digest weight, and 100,000 readers over 20 variants vs MJML per reader', run };
