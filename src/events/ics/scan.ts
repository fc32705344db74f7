// Splits iCalendar text into a component tree that remembers the physical line of every property.

export interface RawProperty {
  /** Upper-case property name, e.g. 'DTSTART'. */
  name: string;
  /** 1-based physical line where the (possibly folded) content line starts. */
  line: number;
  /** The unfolded content line, as ical.js's property parser takes it. */
  text: string;
  /** Set when the line cannot be a property (no ':' outside quotes): it spoils its component only. */
  broken?: string;
}

export interface RawComponent {
  /** Upper-case component name, e.g. 'VEVENT'. */
  name: string;
  /** The BEGIN line. */
  line: number;
  properties: RawProperty[];
  components: RawComponent[];
}

export type ScanResult =
  | { ok: true; calendars: RawComponent[] }
  | { ok: false; line: number; message: string };

/** Components that may only sit directly inside a VCALENDAR: one inside another means a missing END. */
const CALENDAR_CHILDREN = new Set(['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VTIMEZONE']);

interface ContentLine {
  line: number;
  text: string;
}

/**
 * The content lines, unfolded (RFC 5545 §3.1 continuation lines), each with its first physical line.
 * One at a time: a big file's 150,000 lines were held in two arrays through the scan, and every
 * garbage collection on the way copied them.
 */
export function* contentLines(text: string): Generator<ContentLine> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let pending: ContentLine | undefined;
  let start = 0;
  for (let n = 1; start <= body.length; n++) {
    const newline = body.indexOf('\n', start);
    const end = newline < 0 ? body.length : newline;
    // A line ends at LF or CRLF; a CR on its own stays in the line.
    const raw = body.slice(start, newline > start && body.charCodeAt(newline - 1) === 13 ? newline - 1 : end);
    start = end + 1;
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && pending) {
      pending.text += raw.slice(1);
    } else if (raw.trim() !== '') {
      if (pending) yield pending;
      pending = { line: n, text: raw };
    }
  }
  if (pending) yield pending;
}

/** Names as written → the name, so the 150,000 properties (and 10,000 BEGIN:VEVENTs) of a big file share a few dozen strings. */
const names = new Map<string, string>();

/** A property or component name as written, trimmed and upper-cased. */
function canonicalName(written: string): string {
  let name = names.get(written);
  if (name === undefined) {
    name = written.trim().toUpperCase();
    if (names.size < 10_000) names.set(written, name);
  }
  return name;
}

/** The property name: everything before the first ';' or ':'. */
function nameOf(text: string): string {
  let end = 0;
  while (end < text.length && text[end] !== ';' && text[end] !== ':') end++;
  return canonicalName(text.slice(0, end));
}

/** Index of the ':' that separates parameters from the value (colons inside quoted parameters do not count). */
export function valueColon(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) return i;
  }
  return -1;
}

/** The value exactly as written (still escaped), e.g. an RRULE whose part order we keep. */
export function rawValue(text: string): string {
  const i = valueColon(text);
  return i < 0 ? '' : text.slice(i + 1);
}

const quote = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);

/**
 * The component tree, or the first structural fault and its line. ical.js forgets where things
 * were and accepts mismatched END lines, so structure (and every line a finding prints) comes from here.
 */
export function scanIcs(text: string): ScanResult {
  let empty = true;
  const calendars: RawComponent[] = [];
  const stack: RawComponent[] = [];
  for (const { line, text: t } of contentLines(text)) {
    empty = false;
    const name = nameOf(t);
    if (valueColon(t) < 0) {
      // Inside an event, a broken line spoils that event only (an unclosed quote in one TZID, say).
      const open = stack[stack.length - 1];
      if (open && open.name !== 'VCALENDAR' && name !== 'BEGIN' && name !== 'END') {
        open.properties.push({ name, line, text: t, broken: `content line without ":" ${quote(t)}` });
        continue;
      }
      return { ok: false, line, message: `content line without ":" ${quote(t)}` };
    }
    const open = stack[stack.length - 1];
    if (name !== 'BEGIN' && name !== 'END') {
      // A property: nearly every line of a big calendar, kept as written.
      if (!open) return { ok: false, line, message: `content outside BEGIN:VCALENDAR/END:VCALENDAR ${quote(t)}` };
      open.properties.push({ name, line, text: t });
      continue;
    }
    const value = canonicalName(rawValue(t));
    if (name === 'BEGIN') {
      if (!open && value !== 'VCALENDAR') {
        return { ok: false, line, message: `expected BEGIN:VCALENDAR, found ${quote(t)}` };
      }
      if (open && value === 'VCALENDAR') {
        return { ok: false, line, message: `BEGIN:VCALENDAR inside ${open.name} begun at line ${open.line}` };
      }
      if (open && CALENDAR_CHILDREN.has(value) && open.name !== 'VCALENDAR') {
        return {
          ok: false,
          line,
          message: `BEGIN:${value} inside ${open.name} begun at line ${open.line} (missing END:${open.name}?)`,
        };
      }
      const component: RawComponent = { name: value, line, properties: [], components: [] };
      if (open) open.components.push(component);
      else calendars.push(component);
      stack.push(component);
    } else {
      if (!open) return { ok: false, line, message: `END:${value} without a matching BEGIN` };
      if (open.name !== value) {
        return { ok: false, line, message: `END:${value} does not close BEGIN:${open.name} at line ${open.line}` };
      }
      stack.pop();
    }
  }
  if (empty) return { ok: false, line: 1, message: 'empty file' };
  const unclosed = stack[stack.length - 1];
  if (unclosed) {
    return { ok: false, line: unclosed.line, message: `BEGIN:${unclosed.name} at line ${unclosed.line} is never closed` };
  }
  return { ok: true, calendars };
}
