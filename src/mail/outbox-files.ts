// The file outbox as personal data: a forgotten person's messages are removed, and messages past the retention.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every .eml under the outbox's issue folders (one level down, as the outbox writes them). */
function emlFiles(dir: string): string[] {
  let folders: string[];
  try {
    folders = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(dir, d.name));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return folders.flatMap((f) => readdirSync(f).filter((n) => n.endsWith('.eml') || n.includes('.eml.tmp-')).map((n) => join(f, n)));
}

/**
 * Removes every message to or about the person: files named for their subscriber id (`….s42@…`, the digest's
 * Message-ID) and any file whose text holds the address (a confirmation, a test). Returns how many.
 */
export function eraseOutboxFiles(dir: string, email: string, subscriberId: number): number {
  const needle = email.trim().toLowerCase();
  const byId = new RegExp(`\\.s${subscriberId}@`);
  let removed = 0;
  for (const path of emlFiles(dir)) {
    if (byId.test(path) || readFileSync(path, 'latin1').toLowerCase().includes(needle)) {
      rmSync(path, { force: true });
      removed++;
    }
  }
  return removed;
}

/** Removes the messages written before `cutoff` (by the file's time); returns how many. */
export function pruneOutboxFiles(dir: string, cutoff: Date): number {
  let removed = 0;
  for (const path of emlFiles(dir)) {
    if (statSync(path).mtimeMs < cutoff.getTime()) {
      rmSync(path, { force: true });
      removed++;
    }
  }
  return removed;
}
