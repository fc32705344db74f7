// Plain-text wrapping at 78 columns (RFC 5322's advice) by display width: East Asian wide characters take two
// columns and a line may break between them; indentation is kept, a URL is never broken, "-- " keeps its space.
import { eastAsianWidth } from 'get-east-asian-width';

export const TEXT_WIDTH = 78;

/** The signature separator (RFC 3676 §4.3): mail readers find the footer by it, space included. */
const SIGNATURE = '-- ';

const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}]/u;

function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  return eastAsianWidth(ch.codePointAt(0) as number);
}

/** Columns a string takes in a fixed-width font. */
export function displayWidth(s: string): number {
  // Most of a digest is printable ASCII: one column each, no table look-up.
  if (/^[\x20-\x7e]*$/.test(s)) return s.length;
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}

/** Closing marks and small kana that must not begin a line (a light form of Japanese kinsoku). */
const NO_LINE_START = /^[、。，．,.!?！？）」』】〕〉》”’ー・：；ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ]/u;

/**
 * A word cut into the pieces a line may break between: a run of narrow characters stays whole (a URL
 * or an English word), each wide character stands alone, and closing marks cling to what precedes them.
 */
function pieces(word: string): string[] {
  // Printable ASCII has no wide character for anything to cling to: the word stays whole.
  if (/^[\x21-\x7e]*$/.test(word)) return [word];
  const out: string[] = [];
  let narrow = '';
  for (const ch of word) {
    if (charWidth(ch) === 2) {
      if (narrow) out.push(narrow);
      narrow = '';
      if (out.length > 0 && NO_LINE_START.test(ch)) out[out.length - 1] += ch;
      else out.push(ch);
    } else if (narrow === '' && out.length > 0 && NO_LINE_START.test(ch) && charWidth(out[out.length - 1].slice(-1)) === 2) {
      out[out.length - 1] += ch;
    } else narrow += ch;
  }
  if (narrow) out.push(narrow);
  return out;
}

export function wrapLine(line: string, width = TEXT_WIDTH): string[] {
  if (displayWidth(line) <= width) return [line];
  const indent = /^(\s*(?:[-*] )?)/.exec(line)?.[1] ?? '';
  const hang = ' '.repeat(indent.length);
  const out: string[] = [];
  let cur = indent;
  let curWidth = indent.length;
  let empty = true;
  for (const word of line.slice(indent.length).split(/ +/)) {
    pieces(word).forEach((piece, i) => {
      // Between words a space; between the pieces of one word (wide characters) nothing.
      const gap = !empty && i === 0 ? 1 : 0;
      const w = displayWidth(piece);
      if (!empty && curWidth + gap + w > width) {
        out.push(cur);
        cur = hang + piece;
        curWidth = hang.length + w;
      } else {
        cur += (gap ? ' ' : '') + piece;
        curWidth += gap + w;
      }
      empty = false;
    });
  }
  out.push(cur);
  return out;
}

/** One line of text as wrapped lines. */
function wrapOne(line: string, width: number): string {
  return line === SIGNATURE ? line : wrapLine(line.replace(/\s+$/, ''), width).join('\n');
}

/** `wrapped`: lines wrapped before (at this width), for text made of the same lines again and again (src/places/place-text.ts). */
export function wrapText(text: string, width = TEXT_WIDTH, wrapped?: Map<string, string>): string {
  const lines = text.split('\n');
  if (!wrapped) return lines.map((l) => wrapOne(l, width)).join('\n');
  return lines.map((l) => wrapped.get(l) ?? wrapped.set(l, wrapOne(l, width)).get(l)!).join('\n');
}

/** At most one blank line in a row (a template's optional lines leave runs of them). */
export function collapseBlankLines(text: string): string {
  return text.replace(/\n{3,}/g, '\n\n');
}
