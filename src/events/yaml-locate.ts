// Maps a path inside a parsed YAML/JSON document to the line and column of that field.
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type Path = readonly (string | number)[];

/**
 * The position of the deepest node on `path` that exists: the key of a map entry (so the message
 * points at the field), or the item of a sequence.
 */
export function locateInDocument(doc: Document, lc: LineCounter, path: Path): { line: number; col: number } {
  let node: unknown = doc.contents;
  let best: number | undefined = (doc.contents as Node | null)?.range?.[0];
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const k = pair.key as Node;
      if (k.range) best = k.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      if (item.range) best = item.range[0];
      node = item;
    } else break;
  }
  if (best === undefined) return { line: 1, col: 1 };
  return lc.linePos(best);
}
