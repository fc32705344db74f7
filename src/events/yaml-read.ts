// Reads an events file's YAML (or JSON) into plain values and a locator of its fields, fast when it can be.
import jsYaml from 'js-yaml';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { yamlToJs, type YamlValue } from '../yaml-values.ts';
import { locateInDocument, type Path } from './yaml-locate.ts';

export type Position = { line: number; col: number };

export type ReadYaml =
  | { ok: true; value: YamlValue; locate: (path: Path) => Position }
  | { ok: false; errors: { at: Position; message: string }[] };

/**
 * The yaml library (YAML 1.2, precise errors) reads about 1–2 MB a second, so a 10,000-event file took
 * seconds; js-yaml reads it about five times faster. js-yaml is given the YAML 1.2 core schema exactly as
 * the yaml library resolves plain scalars (its regular expressions and conversions), and is used only for
 * text without anchors, aliases, tags or directives (where the two could differ, or an alias bomb could
 * expand); anything it refuses goes to the yaml library, whose message is the one reported.
 */
const coreTypes = [
  new jsYaml.Type('tag:yaml.org,2002:null', { kind: 'scalar', resolve: (s: string) => /^(?:~|[Nn]ull|NULL)?$/.test(s), construct: () => null }),
  new jsYaml.Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (s: string) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s),
    construct: (s: string) => s[0] === 't' || s[0] === 'T',
  }),
  new jsYaml.Type('tag:yaml.org,2002:int', {
    kind: 'scalar',
    resolve: (s: string) => /^0o[0-7]+$/.test(s) || /^[-+]?[0-9]+$/.test(s) || /^0x[0-9a-fA-F]+$/.test(s),
    construct: (s: string) => (s.startsWith('0o') ? parseInt(s.slice(2), 8) : s.startsWith('0x') ? parseInt(s.slice(2), 16) : parseInt(s, 10)),
  }),
  new jsYaml.Type('tag:yaml.org,2002:float', {
    kind: 'scalar',
    resolve: (s: string) =>
      /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s) || /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s),
    construct: (s: string) =>
      /^[-+]?\./.test(s) && !/[0-9]/.test(s) ? (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity) : parseFloat(s),
  }),
];
const CORE_1_2 = jsYaml.FAILSAFE_SCHEMA.extend({ implicit: coreTypes });
/** An anchor, alias or tag at the start of a node, or a directive: left to the yaml library. */
const NOT_PLAIN = /(?:^|[\s[{,])[!&*]\S|^%/m;

/** A node as js-yaml's listener saw it: where it starts, and its children in order (a mapping's alternate key, value). */
interface Spot {
  at: number;
  kind?: string;
  result?: unknown;
  children: Spot[];
}

function readFast(text: string): ReadYaml | undefined {
  if (NOT_PLAIN.test(text)) return undefined;
  const top: Spot = { at: 0, children: [] };
  const open: Spot[] = [top];
  let value: unknown;
  let aligned = true;
  try {
    value = jsYaml.load(text, {
      schema: CORE_1_2,
      listener(event, state) {
        if (event === 'open') {
          const spot: Spot = { at: state.position, children: [] };
          open[open.length - 1].children.push(spot);
          open.push(spot);
        } else {
          const spot = open.pop()!;
          spot.kind = state.kind ?? undefined;
          spot.result = state.result;
          // An empty item or value ("-" alone, "{a}") opens no node: then children and entries no longer pair up.
          const r = state.result as unknown[] | Record<string, unknown>;
          if (spot.kind === 'sequence' && spot.children.length !== (r as unknown[]).length) aligned = false;
          if (spot.kind === 'mapping' && spot.children.length !== 2 * Object.keys(r).length) aligned = false;
        }
      },
    });
  } catch {
    return undefined;
  }
  const root = top.children[0];
  let lineStarts: number[] | undefined;
  const position = (offset: number): Position => {
    lineStarts ??= [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - lineStarts[lo] + 1 };
  };
  // As locateInDocument: the deepest node on the path that exists, a map entry by its key.
  const locate = (path: Path): Position => {
    let node = root;
    if (!node || node.kind === undefined || node.result === null) return { line: 1, col: 1 };
    let best = node.at;
    for (const seg of path) {
      if (node.kind === 'mapping') {
        const k = node.children.findIndex((c, i) => i % 2 === 0 && c.kind === 'scalar' && String(c.result) === String(seg));
        if (k < 0 || !node.children[k + 1]) break;
        best = node.children[k].at;
        node = node.children[k + 1];
      } else if (node.kind === 'sequence' && typeof seg === 'number') {
        const item = node.children[seg];
        if (!item) break;
        best = item.at;
        node = item;
      } else break;
    }
    return position(best);
  };
  return { ok: true, value: { ok: true, value }, locate: aligned ? locate : documentLocator(text) };
}

/** Where the yaml library puts each field; the document is parsed on the first question. */
function documentLocator(text: string): (path: Path) => Position {
  let parsed: { doc: Document; lc: LineCounter } | undefined;
  return (path) => {
    if (!parsed) {
      const lc = new LineCounter();
      parsed = { doc: parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true }), lc };
    }
    return locateInDocument(parsed.doc, parsed.lc, path);
  };
}

export function readYaml(text: string): ReadYaml {
  const fast = readFast(text);
  if (fast) return fast;
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) return { ok: false, errors: doc.errors.map((e) => ({ at: lc.linePos(e.pos[0]), message: e.message.split('\n')[0] })) };
  return { ok: true, value: yamlToJs(doc), locate: (p) => locateInDocument(doc, lc, p) };
}
