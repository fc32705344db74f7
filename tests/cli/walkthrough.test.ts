// The README's "Your own organisation", run as a newcomer would: its commands, as processes, in a temporary
// folder, from `init` to a preview and a test digest received by a loopback SMTP server (parsed with mailparser).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { engineEnv } from '../helpers/engines.ts';
import { startSink } from '../helpers/smtp-sink.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const NOW = '2026-12-09T15:00:00Z'; // a Wednesday: the latest slot of `0 8 * * 1` is Monday 7 December

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SECTION = README.slice(README.indexOf('## Your own organisation'), README.indexOf('\n## ', README.indexOf('## Your own organisation') + 5));

/** A line of the README's section, run as the shell would: leading VAR=value assignments, then `npx event-digest …`. */
async function runLine(line: string, cwd: string, replace: Record<string, string> = {}) {
  assert.ok(SECTION.includes(`\n${line}\n`), `the README's walk-through has the line: ${line}`);
  let text = line;
  for (const [from, to] of Object.entries(replace)) text = text.replace(from, to);
  const env: Record<string, string> = {};
  let rest = text;
  for (let m; (m = /^([A-Z_]+)=(\S+) /.exec(rest)); rest = rest.slice(m[0].length)) env[m[1]] = m[2];
  assert.ok(rest.startsWith('npx event-digest '), rest);
  const args = [...rest.slice('npx event-digest '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
  const child = spawn(process.execPath, [join(ROOT, 'bin/event-digest.js'), ...args], { cwd, env: { ...process.env, ...engineEnv(cwd), DIGEST_NOW: NOW, ...env } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  return { code, out: out.trimEnd(), err: err.trimEnd() };
}

test("the README's walk-through: init, edit, check, preview, subscribers and a test send to yourself", async () => {
  const sink = await startSink();
  try {
    const home = mkdtempSync(join(tmpdir(), 'ed-walk-'));
    const init = await runLine('npx event-digest init our-group --tz America/Chicago', home);
    assert.equal(init.code, 0, init.err);
    assert.ok(SECTION.includes('\ncd our-group\n'));
    const dir = join(home, 'our-group');

    // 2. Edit: From at your own domain, a postal address; your own address first in the list.
    const configPath = join(dir, 'event-digest.config.yaml');
    const config = readFileSync(configPath, 'utf8');
    assert.ok(config.includes('\nfrom: Our Group <events@example.org>\n') && config.includes('\npostalAddress: ""\n'));
    writeFileSync(configPath, config.replace('from: Our Group <events@example.org>', 'from: Our Group <events@our-group.org>').replace('postalAddress: ""', 'postalAddress: "Our Group, 100 Main Street, Springfield, IL 62701"'));
    const csvPath = join(dir, 'subscribers.csv');
    writeFileSync(csvPath, readFileSync(csvPath, 'utf8').replace('you@example.org,Your Name', 'you@our-group.org,Sam Rivera'));

    // 3. Check and look.
    const check = await runLine('npx event-digest check', dir);
    assert.equal(check.code, 0, check.err);
    const warnings = check.out.split('\n').filter((l) => l.includes(': warning: '));
    assert.deepEqual(warnings.map((l) => /warning: (\w+) \(/.exec(l)?.[1]), ['baseUrl', 'smtp'], 'what is left: the public address and the mail server');
    const select = await runLine('npx event-digest select', dir);
    assert.equal(select.code, 0, select.err);
    assert.match(select.out, /^Thu, Dec 10, 6:30 PM CST · Weekly organizing meeting · Community Center, Room 2, Springfield$/m);
    const preview = await runLine('npx event-digest preview', dir);
    assert.equal(preview.code, 0, preview.err);
    const html = readFileSync(join(dir, 'out/digest.html'), 'utf8');
    for (const title of ['Weekly organizing meeting', 'Phone bank', 'Rally for fair housing', 'Regional organizing conference']) assert.ok(html.includes(title), title);
    assert.ok(html.includes('Our Group, 100 Main Street, Springfield, IL 62701'), 'the postal address is in the footer');

    // 4. The list.
    const imported = await runLine('npx event-digest subscribers import subscribers.csv', dir);
    assert.equal(imported.out, 'imported 2, updated 0, rejected 0', imported.err);
    const list = await runLine('npx event-digest subscribers list', dir);
    assert.match(list.out, /^you@our-group\.org +Sam Rivera +America\/Chicago +all +active$/m);

    // 5. The test to yourself, through "your" mail server (a loopback smtp-server).
    const send = await runLine('SMTP_URL=smtps://you%40our-group.org:app-password@mail.our-group.org:465 npx event-digest send --to you@our-group.org', dir, {
      'smtps://you%40our-group.org:app-password@mail.our-group.org:465': sink.url,
    });
    assert.equal(send.code, 0, send.err);
    assert.equal(send.out.split('\n').at(-1), 'sent 1, skipped 0, failed 0, deferred 0');
    assert.equal(sink.received.length, 1);
    assert.deepEqual(sink.received[0].to, ['you@our-group.org']);
    const mail = await simpleParser(sink.received[0].raw);
    assert.equal(mail.from?.value[0].address, 'events@our-group.org');
    assert.match(String(mail.subject), /^\[Test\] .*Weekly organizing meeting.*\(Dec 7 – 27\)$/);
    assert.ok(mail.text?.includes('Hi Sam Rivera,'), mail.text);
    assert.ok(mail.text?.includes('Phone bank') && mail.text.includes('Join the call'));
    assert.ok(typeof mail.html === 'string' && mail.html.includes('Weekly organizing meeting'));
    assert.ok(!existsSync(join(dir, 'var/outbox')), 'through the server, not the outbox');
  } finally {
    await sink.close();
  }
});
