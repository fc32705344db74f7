// Keeps calendar text inert: no header injection, no Handlebars syntax surviving into the second stage.
import type { Block, Inline } from './markdown.ts';

/**
 * The digest is rendered in two Handlebars stages (variant, then reader). Text from a calendar must
 * never be read as a mustache by the second stage, so every "{" in it travels as a private-use
 * character and is put back only in the final output (see personalise.ts).
 */
export const BRACE_SENTINEL = '\uE000';

export function guard(text: string): string {
  return text.replaceAll(BRACE_SENTINEL, '').replaceAll('{', BRACE_SENTINEL);
}

export function unguard(text: string): string {
  return text.replaceAll(BRACE_SENTINEL, '{');
}

/** One line for a header: CR, LF and other control characters become spaces. */
export function headerText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

function guardInlines(xs: Inline[]): Inline[] {
  return xs.map((i) => ({ ...i, href: i.href === undefined ? undefined : guard(i.href), parts: i.parts.map((p) => ({ ...p, text: guard(p.text) })) }));
}

/** Markdown as data (markdown.ts) with every text run and link guarded. */
export function guardBlocks(blocks: Block[]): Block[] {
  return blocks.map((b) => ('paragraph' in b ? { paragraph: guardInlines(b.paragraph) } : { ...b, list: b.list.map(guardInlines) }));
}
