// The last good copy of each feed under var/feeds/: its body and validators, private to the owner whatever the umask.
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Validators } from './fetch.ts';

export interface LastGood {
  text: string;
  fetchedAtMs: number;
  validators: Validators;
}

function base(dir: string, url: string): string {
  return join(dir, createHash('sha256').update(url).digest('hex').slice(0, 32));
}

export async function readLastGood(dir: string, url: string): Promise<LastGood | undefined> {
  try {
    const meta = JSON.parse(await readFile(`${base(dir, url)}.json`, 'utf8')) as { url: string; fetchedAtMs: number; validators: Validators };
    if (meta.url !== url) return undefined;
    return { text: await readFile(`${base(dir, url)}.body`, 'utf8'), fetchedAtMs: meta.fetchedAtMs, validators: meta.validators };
  } catch {
    return undefined;
  }
}

async function writePrivate(path: string, data: string): Promise<void> {
  // Written aside then renamed, so a reader never sees half a copy; chmod because `mode` is masked by the umask.
  const tmp = `${path}.tmp`;
  await writeFile(tmp, data, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

export async function saveLastGood(dir: string, url: string, copy: LastGood): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  await writePrivate(`${base(dir, url)}.body`, copy.text);
  await writePrivate(`${base(dir, url)}.json`, JSON.stringify({ url, fetchedAtMs: copy.fetchedAtMs, validators: copy.validators }));
}

/** A 304 confirms the copy is current: only its time moves. */
export async function touchLastGood(dir: string, url: string, copy: LastGood, nowMs: number): Promise<void> {
  await writePrivate(`${base(dir, url)}.json`, JSON.stringify({ url, fetchedAtMs: nowMs, validators: copy.validators }));
}
