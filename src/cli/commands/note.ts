// `note ISSUE --file note.md`: the organizers' note shown at the top of one issue; `--clear` removes it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DigestError } from '../../errors.ts';
import { listSlug } from '../../mail/send-issue.ts';
import type { Context } from '../context.ts';
import { issueOption } from './schedule.ts';

/** A note is a few lines above the events, not a newsletter: this keeps it well inside Gmail's clip limit. */
const NOTE_MAX_CHARS = 2000;

export interface NoteOptions {
  file?: string;
  clear?: boolean;
}

function readNote(cwd: string, file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(cwd, file));
  } catch (e) {
    throw new DigestError('USAGE', `--file: cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '').trim();
  } catch {
    throw new DigestError('USAGE', `--file: '${file}' is not UTF-8 text`);
  }
  if (text === '') throw new DigestError('USAGE', `--file: '${file}' is empty (use --clear to remove a note)`);
  if (text.length > NOTE_MAX_CHARS) throw new DigestError('USAGE', `--file: '${file}' has ${text.length} characters; a note holds at most ${NOTE_MAX_CHARS}`);
  return text;
}

export async function noteCommand(ctx: Context, issue: string, opts: NoteOptions): Promise<number> {
  const date = issueOption(issue);
  if (opts.file !== undefined && opts.clear) throw new DigestError('USAGE', 'use either --file or --clear');
  const { notes } = await ctx.openStore();
  const list = listSlug(ctx.config);
  if (opts.clear) {
    const had = await notes.clear(list, date);
    ctx.io.out(had ? `removed the note of the ${date} issue` : `the ${date} issue had no note`);
    return 0;
  }
  if (opts.file !== undefined) {
    const markdown = readNote(ctx.io.cwd, opts.file);
    await notes.set(list, date, markdown);
    ctx.io.out(`the ${date} issue will open with the note from ${opts.file} (${markdown.length} characters); \`event-digest preview --as-of ${date}\` shows it`);
    return 0;
  }
  const current = await notes.get(list, date);
  ctx.io.out(current ?? `the ${date} issue has no note; set one with \`event-digest note ${date} --file note.md\``);
  return 0;
}
