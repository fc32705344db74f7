// Benchmarks big calendars as whole processes: check, select, preview and send (file outbox, a handful of
// subscribers) on 10,000 events in ICS and in YAML, each beside the same command on a one-event file whose event
// falls in the issue's window, so that the baseline renders and mails a digest too.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bench } from './run.ts';
import { bigCalendarIcs, bigCalendarYaml, bigEvents, oneEventInWindow } from './big-calendar.ts';
import { buildCli, median, ROOT } from './shared.ts';
import { fixedClock } from '../src/clock.ts';
import { openStore } from '../src/store/open.ts';

const BIN = join(ROOT, 'bin/event-digest.js');
const RUNS = 5;
const BIG = 10_000;
const TARGET_MS = 1000;
const NOW = '2016-11-27T13:00:00Z';
const AS_OF = ['--as-of', '2016-11-28'];
const SUBSCRIBERS = [
  { email: 'ada@example.org', name: 'Ada', timezone: 'America/New_York', kinds: [] },
  { email: 'ben@example.org', name: 'Ben', timezone: 'America/Los_Angeles', kinds: ['webinar'] },
  { email: 'carmen@example.org', name: null, timezone: 'Europe/Berlin', kinds: ['action', 'conference'] },
  { email: 'dmitri@example.org', name: 'Dmitri', timezone: 'Australia/Sydney', kinds: [] },
  { email: 'eve@example.org', name: 'Eve', timezone: 'America/Chicago', kinds: ['conference'] },
];
const COMMANDS = [
  { label: 'check', args: ['check'] },
  { label: 'select', args: ['select', ...AS_OF, '--json'] },
  { label: 'preview', args: ['preview', ...AS_OF, '--out', 'out'] },
  { label: 'send', args: ['send', ...AS_OF] },
];
const TIME = '/usr/bin/time';

/** A folder with its config, the calendar and a database of a few subscribers kept as a template for each send. */
async function workDir(base: string, format: 'ics' | 'yaml', n: number): Promise<string> {
  const dir = join(base, `${format}-${n}`);
  mkdirSync(dir, { recursive: true });
  const events = n === 1 ? oneEventInWindow() : bigEvents(n);
  writeFileSync(join(dir, `events.${format}`), format === 'ics' ? bigCalendarIcs(events) : bigCalendarYaml(events));
  writeFileSync(join(dir, 'event-digest.config.yaml'), `events: [events.${format}]\nsecret: a bench secret of enough length\n`);
  const store = await openStore({ db: join(dir, 'template.db'), clock: fixedClock(new Date(NOW)), defaultTimezone: 'America/New_York', secret: 'a bench secret of enough length' });
  await store.subscribers.addAll(SUBSCRIBERS, { source: 'bench' });
  await store.close();
  return dir;
}

/** One whole process, spawn to exit: ms, and its peak RSS in MB and CPU ms (user + system) when /usr/bin/time can say. */
function timed(dir: string, args: string[]): { ms: number; rssMB?: number; cpuMs?: number } {
  // A send must find its issue unsent: a fresh copy of the database and an empty outbox each time.
  rmSync(join(dir, 'var'), { recursive: true, force: true });
  mkdirSync(join(dir, 'var'));
  copyFileSync(join(dir, 'template.db'), join(dir, 'var/event-digest.db'));
  const rssFile = join(dir, 'rss.txt');
  const argv = [process.execPath, BIN, ...args];
  const [cmd, ...rest] = existsSync(TIME) ? [TIME, '-f', '%M %U %S', '-o', rssFile, ...argv] : argv;
  const t0 = performance.now();
  const r = spawnSync(cmd, rest, { cwd: dir, encoding: 'utf8', env: { ...process.env, DIGEST_NOW: NOW }, maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} in ${dir} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  if (!existsSync(TIME)) return { ms };
  const [kb, user, sys] = readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { ms, rssMB: kb / 1024, cpuMs: (user + sys) * 1000 };
}

async function run(): Promise<void> {
  buildCli();
  const base = mkdtempSync(join(tmpdir(), 'ed-bench-load-'));
  try {
    const formats = ['ics', 'yaml'] as const;
    const dirs = Object.fromEntries(await Promise.all(formats.flatMap((f) => [1, BIG].map(async (n) => [`${f}-${n}`, await workDir(base, f, n)] as const))));
    for (const f of formats) {
      const size = readFileSync(join(dirs[`${f}-${BIG}`], `events.${f}`)).length;
      console.log(`${f.toUpperCase()}: ${BIG.toLocaleString('en')} events, ${(size / 1e6).toFixed(1)} MB`);
    }
    console.log('the same events in both: a third recurring (COUNT or UNTIL, EXDATEs), 15 % all-day, 9 zones (6 as VTIMEZONEs in the ICS), a year either side of the issue');
    console.log('the one-event file: one timed event of the big calendar at a place in the issue\'s first week, so the one-event send renders and mails a digest and check looks a place up, as the big ones do');
    console.log(`${SUBSCRIBERS.length} subscribers, file outbox; whole processes (the bin, dist/), median of ${RUNS}, one-event and ${BIG.toLocaleString('en')}-event runs interleaved`);
    const rows = COMMANDS.flatMap((c) => formats.map((f) => ({ c, f, small: [] as number[], big: [] as number[], rss: [] as number[], cpuSmall: [] as number[], cpuBig: [] as number[] })));
    // One untimed run each warms the file cache.
    for (const r of rows) for (const n of [1, BIG]) timed(dirs[`${r.f}-${n}`], r.c.args);
    for (let i = 0; i < RUNS; i++) {
      for (const r of rows) {
        const small = timed(dirs[`${r.f}-1`], r.c.args);
        const big = timed(dirs[`${r.f}-${BIG}`], r.c.args);
        r.small.push(small.ms);
        r.big.push(big.ms);
        if (big.rssMB !== undefined) r.rss.push(big.rssMB);
        if (small.cpuMs !== undefined && big.cpuMs !== undefined) (r.cpuSmall.push(small.cpuMs), r.cpuBig.push(big.cpuMs));
      }
    }
    // CPU time (user + system) beside the wall clock: on a shared machine the wall clock also counts waiting for a core.
    const head = `${'command'.padEnd(8)} ${'format'.padEnd(6)} ${'1 event'.padStart(8)} ${'10k events'.padStart(10)} ${'diff'.padStart(7)} ${'ratio'.padStart(6)} ${'peak RSS'.padStart(9)}   ${'CPU 1 / 10k (diff)'.padStart(24)}`;
    console.log(head);
    let misses = 0;
    for (const r of rows) {
      const [small, big] = [median(r.small), median(r.big)];
      const rss = r.rss.length > 0 ? `${Math.max(...r.rss).toFixed(0)} MB` : 'n/a';
      const cpu = r.cpuBig.length > 0 ? `${median(r.cpuSmall).toFixed(0)} / ${median(r.cpuBig).toFixed(0)} ms (${(median(r.cpuBig) - median(r.cpuSmall)).toFixed(0)})` : 'n/a';
      if (big - small >= TARGET_MS) misses++;
      console.log(
        `${r.c.label.padEnd(8)} ${r.f.padEnd(6)} ${`${small.toFixed(0)} ms`.padStart(8)} ${`${big.toFixed(0)} ms`.padStart(10)} ${`${(big - small).toFixed(0)} ms`.padStart(7)} ${`${(big / small).toFixed(1)}×`.padStart(6)} ${rss.padStart(9)}   ${cpu.padStart(24)}`,
      );
    }
    console.log(`${misses === 0 ? 'PASS' : `MISS (${misses} of ${rows.length})`}: each 10,000-event command within ${TARGET_MS} ms of the one-event one (peak RSS: the largest of the ${RUNS} runs)`);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

export const bench: Bench = { name: 'load', description: `big calendars as whole processes, median of ${RUNS}: ${BIG.toLocaleString('en')} events (ICS, YAML) against one`, run };
