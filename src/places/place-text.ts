// The text twin of a place's digest without a Handlebars compile or a wrap of the whole text per place: the text of
// a zone × kinds is made once per shape with holes for the entries and the place note; each entry's text is rendered
// once per zone (its distance put in per place) and each line wrapped once. Byte for byte the text compileVariant makes.
import { randomBytes } from 'node:crypto';
import { stage2Template, type ReaderFields } from '../render/compile.ts';
import type { DigestView, EntryView } from '../render/digest-view.ts';
import { unguard } from '../render/safe-text.ts';
import { stage1 } from '../render/templates.ts';
import { collapseBlankLines, wrapText } from '../render/wrap.ts';

/** The holes of digest.txt.hbs: the entries (partial body-text) and the place note (near-text). */
type TextHole = 'body' | 'near';
const PARTIAL: Record<TextHole, string> = { body: 'body-text', near: 'near-text' };

/** Text whose blank lines are collapsed: the newlines it begins and ends with decide what collapses where it joins others. */
interface Run {
  lead: number;
  trail: number;
  /** Has something besides newlines. */
  solid: boolean;
}

function runOf(text: string): Run {
  // By hand: /\n*$/ tries every position of a long text.
  let lead = 0;
  while (text[lead] === '\n') lead++;
  let trail = 0;
  while (trail < text.length && text[text.length - 1 - trail] === '\n') trail++;
  return { lead, trail, solid: lead < text.length };
}

export interface TextSkeleton {
  /** Stage-2 templates of the static text between the holes, collapsed and wrapped: pieces.length === holes.length + 1. */
  pieces: ({ template: (reader: ReaderFields) => string } & Run)[];
  holes: TextHole[];
}

/** Each hole's token stands alone on its line, so pieces and fills are whole lines and wrap as they would in the whole text. */
export function compileTextSkeleton(view: DigestView): TextSkeleton {
  const nonce = randomBytes(8).toString('hex');
  const token = (h: TextHole) => `Zq${nonce}T${h}Qz`;
  const source = stage1().text({ ...view, holes: { body: token('body'), near: token('near') } });
  const bits = source.split(new RegExp(`Zq${nonce}T(body|near)Qz\\n`));
  const statics = bits.filter((_, i) => i % 2 === 0).map(collapseBlankLines);
  if (statics.some((s) => s.includes(`Zq${nonce}`))) throw new Error('digest.txt.hbs: a text hole is not alone on its line');
  return {
    pieces: statics.map((s) => ({ template: stage2Template(wrapText(s), true), ...runOf(s) })),
    holes: bits.filter((_, i) => i % 2 === 1) as TextHole[],
  };
}

/** Marks where an entry's distance goes in its text rendered once. */
const DISTANCE = `ZqD${randomBytes(6).toString('hex')}Qz`;

/** Each entry's stage-1 text rendered once per layer (one zone: the same for every place), its distance put in per place. */
export function entryTextRenderer(): (item: EntryView) => string {
  const rendered = new Map<string, string>();
  return (item) => {
    const key = `${item.key}|${item.distance ? 'd' : ''}`;
    let text = rendered.get(key);
    if (text === undefined) {
      text = stage1().textPartial('entry-text')({ ...item, distance: item.distance ? DISTANCE : undefined });
      rendered.set(key, text);
    }
    return item.distance ? text.replace(DISTANCE, () => item.distance!) : text;
  };
}

/**
 * A place's text for every reader: each hole filled from its partial (entries from `entryText`), collapsed, trimmed
 * where its blank lines meet a piece's, wrapped through `wrapped` (lines seen before). Undefined when a fill or a piece
 * between fills is only blank lines (a blank run across several parts): then the caller compiles the text whole.
 */
export function placeText(sk: TextSkeleton, view: DigestView, entryText: (item: EntryView) => string, wrapped: Map<string, string>): ((reader: ReaderFields) => string) | undefined {
  const fills: string[] = [];
  for (const [i, hole] of sk.holes.entries()) {
    const before = sk.pieces[i];
    const after = sk.pieces[i + 1];
    const raw = collapseBlankLines(stage1().textPartial(PARTIAL[hole])(view, { partials: { 'entry-text': entryText } }));
    const run = runOf(raw);
    if (!run.solid || (i > 0 && !before.solid)) return undefined;
    // A run of blank lines across the join collapses as in the whole text; the fill has the newlines to give.
    const text = raw.slice(Math.max(0, before.trail + run.lead - 2), raw.length - Math.max(0, run.trail + after.lead - 2));
    // The place note is one line per place: not worth remembering.
    fills.push(unguard(hole === 'body' ? wrapText(text, undefined, wrapped) : wrapText(text)));
  }
  return (reader) => sk.pieces.reduce((out, piece, i) => out + piece.template(reader) + (fills[i] ?? ''), '');
}
