// The file outbox as a mailbox: its messages newest first, and one message parsed for reading.
import { readdirSync, readFileSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface OutboxEntry {
  folder: string;
  file: string;
  mtimeMs: number;
  subject: string;
  to: string;
  date?: Date;
}

const SAFE_NAME = /^[A-Za-z0-9._@-]+$/;
/** Headers end within this many bytes (ours are a few hundred); the listing reads no bodies. */
const HEAD_BYTES = 16 * 1024;

/** The newest `limit` messages and how many there are in all; an outbox that does not exist yet is empty. */
export async function listOutbox(dir: string, limit = 200): Promise<{ total: number; entries: OutboxEntry[] }> {
  const found: { folder: string; file: string; mtimeMs: number }[] = [];
  let folders: string[];
  try {
    folders = readdirSync(dir).filter((f) => SAFE_NAME.test(f));
  } catch {
    return { total: 0, entries: [] };
  }
  for (const folder of folders) {
    let files: string[];
    try {
      files = readdirSync(join(dir, folder)).filter((f) => f.endsWith('.eml') && SAFE_NAME.test(f));
    } catch {
      continue;
    }
    for (const file of files) found.push({ folder, file, mtimeMs: statSync(join(dir, folder, file)).mtimeMs });
  }
  found.sort((a, b) => b.mtimeMs - a.mtimeMs || a.file.localeCompare(b.file));
  const entries: OutboxEntry[] = [];
  for (const f of found.slice(0, limit)) {
    const head = await simpleParser(readHead(join(dir, f.folder, f.file)), { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
    entries.push({ ...f, subject: head.subject ?? '(no subject)', to: addressText(head.to), date: head.date });
  }
  return { total: found.length, entries };
}

/** One message by folder and file name; undefined for a name that is not a message in the outbox. */
export async function readOutboxMessage(dir: string, folder: string, file: string): Promise<{ raw: Buffer; mail: ParsedMail } | undefined> {
  if (!SAFE_NAME.test(folder) || !SAFE_NAME.test(file) || !file.endsWith('.eml')) return undefined;
  const path = resolve(dir, folder, file);
  if (!path.startsWith(resolve(dir) + sep)) return undefined;
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch {
    return undefined;
  }
  return { raw, mail: await simpleParser(raw, { skipImageLinks: true }) };
}

export function addressText(a: ParsedMail['to']): string {
  if (!a) return '';
  return (Array.isArray(a) ? a : [a]).map((x) => x.text).join(', ');
}

function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
    const end = buf.subarray(0, n).indexOf('\r\n\r\n');
    return buf.subarray(0, end === -1 ? n : end + 4);
  } catch {
    return Buffer.alloc(0);
  } finally {
    closeSync(fd);
  }
}
