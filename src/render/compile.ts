// Stage 2 preparation: MJML compiled once per variant, then Handlebars templates over the finished HTML and text.
import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import { DigestError } from '../errors.ts';
import type { DigestView } from './digest-view.ts';
import { BRACE_SENTINEL, unguard } from './safe-text.ts';
import { stage1 } from './templates.ts';
import { collapseBlankLines, TEXT_WIDTH, wrapText } from './wrap.ts';

/** What stage 2 fills in for each reader. */
export interface ReaderFields {
  name?: string;
  unsubscribeUrl: string;
  preferencesUrl: string;
}

export interface CompiledVariant {
  view: DigestView;
  subject: string;
  preheader: string;
  /** Final HTML for one reader. */
  html(reader: ReaderFields): string;
  text(reader: ReaderFields): string;
  /** The MJML source (for tests and `preview`). */
  mjml: string;
}

const stage2 = Handlebars.create();

export interface MjmlFinding {
  line: number;
  message: string;
  tagName: string;
}

/** MJML to HTML, validated strictly: any MJML finding is an error that names it. */
export async function compileMjml(source: string): Promise<string> {
  let result;
  try {
    // cssnano (for htmlnano's CSS step) needs Node 22; our CSS is written small instead. The digest has no inline SVG,
    // so htmlnano's SVG step is off too: it loads svgo, 10 MB of heap and ~180 ms before the first digest (docs/speed.md).
    result = await mjml2html(source, { validationLevel: 'strict', minify: true, keepComments: false, minifyOptions: { minifyCss: false, minifySvg: false } });
  } catch (e) {
    const errs = (e as { errors?: MjmlFinding[] }).errors;
    if (errs?.length) throw new DigestError('RENDER', `the digest template is not valid MJML: line ${errs[0].line}: ${errs[0].message}`, errs.map((f) => `MJML line ${f.line}: ${f.message}`));
    throw e;
  }
  return compactStyles(result.html);
}

/** htmlnano leaves <style> blocks as written (its CSS step needs cssnano, which needs Node 22): squeeze them. */
function compactStyles(html: string): string {
  return html.replace(/(<style[^>]*>)([\s\S]*?)(<\/style>)/g, (_m, open: string, css: string, close: string) =>
    open + css.replace(/\s+/g, ' ').replace(/\s*([{};,>])\s*/g, '$1').replace(/;}/g, '}').trim() + close,
  );
}

export function stage2Template(source: string, noEscape: boolean): (reader: ReaderFields) => string {
  const template = stage2.compile(source, { noEscape });
  // Most weeks have no "{" in any event text: then there is nothing to put back per reader.
  if (!source.includes(BRACE_SENTINEL)) return (reader) => template({ reader });
  return (reader) => unguard(template({ reader }));
}

/** Text lines wrapped before: the variants of an issue share most of their lines (the "save the date" list). */
const wrappedLines = new Map<string, string>();

export async function compileVariant(view: DigestView): Promise<CompiledVariant> {
  const t = stage1();
  const mjml = t.mjml(view);
  const htmlSource = await compileMjml(mjml);
  if (wrappedLines.size > 50_000) wrappedLines.clear();
  const textSource = wrapText(collapseBlankLines(t.text(view)), TEXT_WIDTH, wrappedLines);
  return {
    view,
    subject: unguard(view.subject),
    preheader: unguard(view.preheader),
    html: stage2Template(htmlSource, false),
    text: stage2Template(textSource, true),
    mjml,
  };
}
