// Event descriptions: Markdown to HTML that is safe by construction, and a short plain-text form.
import MarkdownIt from 'markdown-it';
import { isAllowedUrl } from '../events/rules/link-urls.ts';

// html: false escapes any raw HTML in the source; validateLink drops every scheme but http(s) and
// mailto; headings, images, tables and code blocks are off, so a description cannot break the
// digest's heading order or pull in remote images.
const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: false, typographer: false })
  .enable(['paragraph', 'newline', 'emphasis', 'link', 'linkify', 'list', 'backticks', 'escape', 'entity', 'autolink'])
  .disable(['image', 'heading', 'lheading', 'table', 'code', 'fence', 'html_block', 'html_inline'], true);
md.validateLink = (url: string) => isAllowedUrl(url);
// Only real URLs become links: "reader.name" or "v1.2" in a description stays text.
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false });

/** Cuts Markdown to about `max` characters at a paragraph or word boundary, marking the cut. */
export function shorten(markdown: string, max = 320): string {
  const text = markdown.trim();
  if (text.length <= max) return text;
  const paragraphs = text.split(/\n\s*\n/);
  let out = '';
  for (const p of paragraphs) {
    if ((out + '\n\n' + p).length > max) break;
    out = out ? `${out}\n\n${p}` : p;
  }
  if (out) return out;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max * 0.6)).replace(/[\s,;:.]+$/, '')}…`;
}

/** A run of text with its emphasis. */
export interface TextPart {
  text: string;
  strong?: boolean;
  em?: boolean;
  code?: boolean;
}

/** Text parts, linked or not. */
export interface Inline {
  href?: string;
  parts: TextPart[];
}

/**
 * A description as data: paragraphs and lists of inlines. Templates render it with escaping
 * {{ }} only, so no calendar text reaches the mail as HTML, whatever the Markdown library emits.
 */
export type Block = { paragraph: Inline[] } | { list: Inline[][]; ordered: boolean };

type Token = ReturnType<typeof md.parse>[number];

function inlinesOf(tokens: Token[]): Inline[] {
  const out: Inline[] = [];
  let strong = 0;
  let em = 0;
  let cur: Inline | undefined;
  const push = (part: TextPart) => {
    if (!cur) out.push((cur = { parts: [] }));
    const last = cur.parts.at(-1);
    if (last && !!last.strong === !!part.strong && !!last.em === !!part.em && !!last.code === !!part.code) last.text += part.text;
    else cur.parts.push(part);
  };
  for (const t of tokens) {
    if (t.type === 'link_open') out.push((cur = { href: t.attrGet('href') ?? undefined, parts: [] }));
    else if (t.type === 'link_close') cur = undefined;
    else if (t.type === 'strong_open') strong++;
    else if (t.type === 'strong_close') strong--;
    else if (t.type === 'em_open') em++;
    else if (t.type === 'em_close') em--;
    else if (t.type === 'text' || t.type === 'code_inline' || t.type === 'softbreak' || t.type === 'hardbreak') {
      const text = t.type === 'softbreak' || t.type === 'hardbreak' ? ' ' : t.content;
      push({ text, ...(strong > 0 && { strong: true }), ...(em > 0 && { em: true }), ...(t.type === 'code_inline' && { code: true }) });
    }
  }
  return out;
}

export function markdownToBlocks(markdown: string): Block[] {
  const tokens = md.parse(markdown, {});
  const blocks: Block[] = [];
  let list: { list: Inline[][]; ordered: boolean } | undefined;
  for (const t of tokens) {
    if (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') blocks.push((list = { list: [], ordered: t.type === 'ordered_list_open' }));
    else if (t.type === 'bullet_list_close' || t.type === 'ordered_list_close') list = undefined;
    else if (t.type === 'inline') {
      const inlines = inlinesOf(t.children ?? []);
      if (list) list.list.push(inlines);
      else blocks.push({ paragraph: inlines });
    }
  }
  return blocks;
}

/** The same blocks as plain text: links written out as "label (url)", list items as "- ". */
export function blocksToText(blocks: Block[]): string {
  const inline = (xs: Inline[]) =>
    xs
      .map((i) => {
        const label = i.parts.map((p) => p.text).join('');
        return i.href && label !== i.href && `mailto:${label}` !== i.href ? `${label} (${i.href})` : label;
      })
      .join('')
      .replace(/[ \t]+/g, ' ')
      .trim();
  return blocks.map((b) => ('paragraph' in b ? inline(b.paragraph) : b.list.map((item) => `- ${inline(item)}`).join('\n'))).join('\n\n');
}
