// A reader's place as a variant dimension without an MJML compile per place: the digest of a zone × kinds is compiled
// once per shape (which blocks it has), with the parts a place changes left as holes; each place fills them with
// its own entries, order, distances and footer note from the same partials, so a place costs Handlebars, not MJML.
// The text twin is made the same way (place-text.ts).
import { randomBytes } from 'node:crypto';
import Handlebars from 'handlebars';
import type { Selection } from '../calendar/select.ts';
import { compileMjml, compileVariant, stage2Template, type CompiledVariant, type ReaderFields } from '../render/compile.ts';
import { buildDigestView, type DigestSettings, type DigestView, type EntryView, type IssueExtras, type Variant } from '../render/digest-view.ts';
import { unguard } from '../render/safe-text.ts';
import { stage1 } from '../render/templates.ts';
import type { Nearby, ReaderPlace } from './nearby.ts';
import { compileTextSkeleton, entryTextRenderer, placeText, type TextSkeleton } from './place-text.ts';

type Hole = { kind: 'subject' | 'preheader' | 'glance' | 'featured' | 'near' } | { kind: 'section'; anchor: string };

interface Skeleton {
  /** Several occurrences of one hole share its object. */
  /** Stage-2 templates of the static HTML between the holes: pieces.length === holes.length + 1. */
  pieces: ((reader: ReaderFields) => string)[];
  holes: Hole[];
  mjml: string;
  text: TextSkeleton;
}

export interface PlaceLayer {
  /** The digest a reader at this place gets; equal in content to renderVariant with `near`. */
  variant(near: ReaderPlace): Promise<CompiledVariant>;
}

/** Which blocks a view has, and the one footer text a place could change: views of one shape share a skeleton. */
function shape(view: DigestView): string {
  // "Save the date" is part of the skeleton: places whose radius lists other ones get another skeleton.
  return JSON.stringify([view.glance.length > 0, view.featured.length > 0, view.sections.map((s) => s.anchor), view.whyText, view.near !== undefined, view.saveTheDate.map((s) => s.title)]);
}

/** One layer per zone × kinds: skeletons are compiled on first use and kept, a few per layer. */
export function placeLayer(selection: Selection, base: Variant, settings: DigestSettings, extras: IssueExtras & { nearby: Nearby }): PlaceLayer {
  const skeletons = new Map<string, Promise<Skeleton | undefined>>();
  // One zone, so an entry looks the same to every place: made once.
  const entryViews = new Map();
  const entry = entryRenderer();
  const entryText = entryTextRenderer();
  // The text's lines as wrapped, for every place of this zone × kinds: most lines are an entry's, again and again.
  const wrapped = new Map<string, string>();
  return {
    async variant(near) {
      const view = buildDigestView(selection, { ...base, near }, settings, { ...extras, entryViews });
      const key = shape(view);
      let skeleton = skeletons.get(key);
      if (!skeleton) skeletons.set(key, (skeleton = view.quiet ? Promise.resolve(undefined) : compileSkeleton(view)));
      const built = await skeleton;
      // A quiet digest (nothing near, nothing national or online) has its own layout: compiled whole, as before places.
      const text = built && placeText(built.text, view, entryText, wrapped);
      return built && text ? assemble(built, view, entry, text) : compileVariant(view);
    },
  };
}

async function compileSkeleton(view: DigestView): Promise<Skeleton> {
  const nonce = randomBytes(8).toString('hex');
  const named: Hole[] = [];
  // Letters and digits only: MJML, its minifier and HTML escaping leave them as they are.
  const token = (h: Hole) => `Zq${nonce}H${named.push(h) - 1}Qz`;
  const holes = {
    glance: token({ kind: 'glance' }),
    featured: token({ kind: 'featured' }),
    near: token({ kind: 'near' }),
    sections: Object.fromEntries(view.sections.map((s) => [s.anchor, token({ kind: 'section', anchor: s.anchor })])),
  };
  const mjml = stage1().mjml({ ...view, subject: token({ kind: 'subject' }), preheader: token({ kind: 'preheader' }), holes });
  const bits = (await compileMjml(mjml)).split(new RegExp(`Zq${nonce}H(\\d+)Qz`));
  const statics = bits.filter((_, i) => i % 2 === 0);
  // A hole may occur more than once (MJML writes the title twice): each occurrence gets the same text.
  const order = bits.filter((_, i) => i % 2 === 1).map(Number);
  return { pieces: statics.map((s) => stage2Template(s, false)), holes: order.map((i) => named[i]), mjml, text: compileTextSkeleton(view) };
}

/** Marks where an entry's anchor and distance go in its HTML rendered once: letters and digits, which escaping keeps. */
const ANCHOR = `ZqA${randomBytes(6).toString('hex')}Qz`;
const DISTANCE = `ZqD${randomBytes(6).toString('hex')}Qz`;

/** Each entry's HTML rendered once per layer (it is the same for every place of one zone), its anchor and distance put in per place. */
function entryRenderer(): (item: EntryView, root: DigestView) => EntryView {
  const rendered = new Map<string, string>();
  return (item, root) => {
    // With or without a distance line it is another piece of HTML.
    const key = `${item.key}|${item.distance === undefined ? '' : 'd'}`;
    let html = rendered.get(key);
    if (html === undefined) {
      html = stage1().htmlPartial('entry')({ ...item, anchor: ANCHOR, distance: item.distance === undefined ? undefined : DISTANCE }, { data: { root } });
      rendered.set(key, html);
    }
    return { ...item, html: html.replaceAll(ANCHOR, item.anchor).replace(DISTANCE, Handlebars.escapeExpression(item.distance ?? '')) };
  };
}

function fill(hole: Hole, view: DigestView, entry: (item: EntryView, root: DigestView) => EntryView): string {
  const t = stage1();
  switch (hole.kind) {
    case 'subject':
      return Handlebars.escapeExpression(view.subject);
    case 'preheader':
      return Handlebars.escapeExpression(view.preheader);
    case 'section': {
      const section = view.sections.find((s) => s.anchor === hole.anchor);
      return section ? t.htmlPartial('section-body')({ ...section, items: section.items.map((i) => entry(i, view)) }, { data: { root: view } }) : '';
    }
    case 'featured':
      return t.htmlPartial('featured-body')({ ...view, featured: view.featured.map((i) => entry(i, view)) });
    default:
      return t.htmlPartial(`${hole.kind}-body`)(view);
  }
}

function assemble(sk: Skeleton, view: DigestView, entry: (item: EntryView, root: DigestView) => EntryView, text: (reader: ReaderFields) => string): CompiledVariant {
  // The holes hold no reader field: filled once per place, and unguarded as stage 2 would unguard them.
  const filled = new Map<Hole, string>();
  const fills = sk.holes.map((h) => filled.get(h) ?? filled.set(h, unguard(fill(h, view, entry))).get(h)!);
  return {
    view,
    subject: unguard(view.subject),
    preheader: unguard(view.preheader),
    html: (reader) => sk.pieces.reduce((out, piece, i) => out + piece(reader) + (fills[i] ?? ''), ''),
    text,
    mjml: sk.mjml,
  };
}
