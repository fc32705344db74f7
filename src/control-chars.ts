// Characters that act instead of showing: C0 and C1 controls, DEL, bidi overrides and isolates, zero-width
// ones. Calendar and subscriber text is checked for them (names, `check`) and escaped before a terminal sees it.

/** Bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069): they reorder the text around them. */
const BIDI = '\\u202a-\\u202e\\u2066-\\u2069';
/** Zero-width space, joiners, word joiner, BOM: invisible, so two names that look alike are not. */
const ZERO_WIDTH = '\\u200b-\\u200d\\u2060\\ufeff';
/** C0 but tab and newline, DEL, C1. */
const CONTROLS = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f';

const IN_NAME = new RegExp(`[${BIDI}${ZERO_WIDTH}]`);
const ACTING = new RegExp(`[${CONTROLS}\\n${BIDI}]`, 'g');
const ACTING_BUT_NEWLINE = new RegExp(`[${CONTROLS}${BIDI}]`, 'g');

/** A bidi override or zero-width character, which a name may not hold (its controls are checked on their own). */
export function hasInvisibleFormatting(text: string): boolean {
  return IN_NAME.test(text);
}

/** The characters of the text that a terminal would act on (a newline included), as U+XXXX, once each. */
export function actingCharacters(text: string): string[] {
  return [...new Set(text.match(ACTING) ?? [])].map(codePoint);
}

/**
 * `\u001b` for ESC, `\u202e` for RLO…: the text as it is, but inert in a terminal. The same spelling is a JSON
 * string escape, so a JSON document escaped this way still parses to the same values.
 * `keepNewlines`: for output that is several lines by design (JSON, help; CRLF kept); a single line escapes them too.
 */
export function escapeControls(text: string, opts: { keepNewlines?: boolean } = {}): string {
  const keep = opts.keepNewlines === true;
  return text.replace(keep ? ACTING_BUT_NEWLINE : ACTING, (ch, at: number) =>
    // Several lines by design may end in CRLF (an .ics on stdout): that CR is a line end, not a control.
    keep && ch === '\r' && text[at + 1] === '\n' ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function codePoint(ch: string): string {
  return `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}
