// `npm run bench [-- name]`: runs every registered benchmark (or the one named) and prints its figures.

/** What a bench module exports as `bench`; run() prints its own figures. */
export interface Bench {
  name: string;
  description: string;
  run(): void | Promise<void>;
}

// One line per bench: a literal specifier keeps the import type-checked, and only this list changes.
const benches: Bench[] = [
  (await import('./selection.ts')).bench,
  (await import('./render.ts')).bench,
  (await import('./mime.ts')).bench,
  (await import('./send.ts')).bench,
  (await import('./send-scale.ts')).bench,
  (await import('./dry-run.ts')).bench,
  (await import('./startup.ts')).bench,
  (await import('./places.ts')).bench,
  (await import('./load.ts')).bench,
];

const wanted = process.argv[2];
const chosen = wanted ? benches.filter((b) => b.name === wanted) : benches;
if (chosen.length === 0) {
  process.stderr.write(`unknown bench '${wanted}'; known: ${benches.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}

// Figures are only comparable between runs on the same setup, so say what it was.
const gcNote = typeof globalThis.gc === 'function' ? 'gc between runs' : 'no gc between runs (run with --expose-gc for steadier figures)';
process.stdout.write(`event-digest benchmarks: node ${process.version}, ${process.platform}/${process.arch}, TZ=${process.env.TZ ?? '(unset)'}, ${gcNote}\n`);

for (const b of chosen) {
  process.stdout.write(`\n== ${b.name}: ${b.description}\n`);
  await b.run();
}
