// Paths as a second terminal, cron or systemd meets them: the CLI run as a process from another folder
// finds the config file's database and calendar; file errors show absolute paths; status and check say what is in use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliProcess } from '../helpers/cli-process.ts';
import { sqliteOnlyTest } from '../helpers/engines.ts';

const NOW = '2026-12-07T12:00:00Z';

const cli = (cwd: string, args: string[], env: Record<string, string> = {}) => cliProcess(cwd, args, { DIGEST_NOW: NOW, ...env });

sqliteOnlyTest("from another folder, --config's relative paths mean the config file's folder; flags and env values the working directory", "where the database file goes is the subject; a PostgreSQL URL has no folder", () => {
  const base = mkdtempSync(join(tmpdir(), 'ed-paths-'));
  const project = join(base, 'group');
  const elsewhere = join(base, 'elsewhere');
  mkdirSync(elsewhere);
  assert.equal(cli(base, ['init', 'group']).code, 0);
  const config = join(project, 'event-digest.config.yaml');
  // The import file is a command-line argument: relative to the working directory.
  const imported = cli(elsewhere, ['--config', '../group/event-digest.config.yaml', 'subscribers', 'import', '../group/subscribers.csv']);
  assert.equal(imported.out, 'imported 2, updated 0, rejected 0', imported.err);
  assert.ok(existsSync(join(project, 'var/event-digest.db')), 'the database is beside the config file');
  assert.ok(!existsSync(join(elsewhere, 'var')), 'and none was made where the command ran');
  const list = cli(elsewhere, ['--config', config, 'subscribers', 'list', '--json']);
  assert.equal(JSON.parse(list.out).length, 2);
  const status = cli(elsewhere, ['--config', config, 'status']);
  assert.deepEqual(status.out.split('\n').slice(0, 2), [`config: ${config}`, `database: ${join(project, 'var/event-digest.db')}`]);
  assert.deepEqual(JSON.parse(cli(elsewhere, ['--config', config, 'status', '--json']).out).database, join(project, 'var/event-digest.db'));
  const check = cli(elsewhere, ['--config', config, 'check', '--verbose']);
  assert.equal(check.code, 0, check.err);
  assert.deepEqual(check.out.split('\n').slice(0, 2), [`config: ${config}`, `database: ${join(project, 'var/event-digest.db')}`]);
  assert.ok(!cli(elsewhere, ['--config', config, 'check']).out.startsWith('config: '), 'only with --verbose');
  // An environment value means the working directory.
  const envDb = cli(elsewhere, ['--config', config, 'status'], { DIGEST_DB: 'mine.db' });
  assert.match(envDb.out, new RegExp(`^database: ${join(elsewhere, 'mine.db')}$`, 'm'));
  // With no config file: defaults in the working directory, and status says so.
  assert.match(cli(elsewhere, ['status']).out, /^config: none \(defaults and environment\)$/m);
});

test('file errors show the absolute path: a missing calendar, a missing config file, a missing import file', () => {
  const base = mkdtempSync(join(tmpdir(), 'ed-paths-'));
  assert.equal(cli(base, ['init', 'group']).code, 0);
  renameSync(join(base, 'group/events.yaml'), join(base, 'group/moved.yaml'));
  const r = cli(base, ['--config', 'group/event-digest.config.yaml', 'select']);
  assert.equal(r.code, 1);
  const missing = join(base, 'group/events.yaml');
  assert.ok(r.err.split('\n').includes(`${missing}:1:1: error: no such file (${missing})`), r.err);
  const noConfig = cli(base, ['--config', 'nope.yaml', 'check']);
  assert.deepEqual([noConfig.code, noConfig.err], [2, `event-digest: ${join(base, 'nope.yaml')}: configuration file not found`]);
  const noCsv = cli(join(base, 'group'), ['subscribers', 'import', 'people.csv']);
  assert.deepEqual([noCsv.code, noCsv.err], [1, `event-digest: ${join(base, 'group/people.csv')}: no such file; nothing was imported`]);
});
