// A parsed YAML document as plain values; an alias bomb becomes a problem to report, not a crash.
import type { Document } from 'yaml';

export type YamlValue = { ok: true; value: unknown } | { ok: false; problem: string };

/**
 * The yaml library refuses a document whose aliases expand past its limit ("billion laughs") with a
 * ReferenceError while converting it; that is bad input, which the caller reports naming its file.
 */
export function yamlToJs(doc: Document): YamlValue {
  try {
    return { ok: true, value: doc.toJS() };
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) return { ok: false, problem: 'YAML aliases expand too far (an alias bomb); refused' };
    throw e;
  }
}
