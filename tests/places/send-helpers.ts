// The CLI in-process on a temp folder's store, as the place tests send with it, and the mails its file outbox holds.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { run } from '../../src/cli/program.ts';
import { engineEnv } from '../helpers/engines.ts';

/** A fresh folder and a CLI that runs in it with `env` (and the engine's store), failing the test on a non-zero exit. */
export function placeCli(prefix: string, env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), prefix));
  const cli = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(args, { cwd, env: { ...env, ...engineEnv(cwd) }, out: (s) => out.push(s), err: (s) => err.push(s), isTty: false });
    assert.equal(code, 0, err.join('\n'));
    return out.join('\n');
  };
  return { cwd, cli };
}

/** The first issue's messages in the folder's file outbox, parsed, by recipient: the text and the HTML. */
export async function outboxMails(cwd: string): Promise<Map<string, { text: string; html: string }>> {
  const dir = join(cwd, 'var/outbox', readdirSync(join(cwd, 'var/outbox'))[0]);
  const mails = new Map<string, { text: string; html: string }>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.eml'))) {
    const m = await simpleParser(readFileSync(join(dir, f)));
    mails.set(m.to && !Array.isArray(m.to) ? m.to.value[0].address! : '', { text: m.text ?? '', html: typeof m.html === 'string' ? m.html : '' });
  }
  return mails;
}
