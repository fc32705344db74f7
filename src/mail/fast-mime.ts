// Digest MIME without nodemailer per reader: a variant's shared body is QP-encoded once, each message only encodes its reader's holes.
import { randomBytes } from 'node:crypto';
import { domainToASCII } from 'node:url';
import Handlebars from 'handlebars';
import addressparser from 'nodemailer/lib/addressparser';
import { encodeWord, encodeWords, foldLines, quoteString } from 'nodemailer/lib/mime-funcs';
import { DigestError } from '../errors.ts';
import type { CompiledVariant, ReaderFields } from '../render/compile.ts';
import { headerText, unguard } from '../render/safe-text.ts';

/** Everything of a message that is not the variant's body. Same meaning as DigestMessage in message.ts. */
export interface Envelope {
  from: string;
  to: { name?: string; address: string };
  subject: string;
  /** Without angle brackets. */
  messageId: string;
  date: Date;
  listId: string;
  unsubscribeUrl: string;
  unsubscribeMailto?: string;
  /** RFC 2369: where past issues are, and where to subscribe (the link a forwarded copy needs). */
  listArchive?: string;
  listSubscribe?: string;
  /** Where replies go, when not to From. */
  replyTo?: string;
  /** Defaults to one that cannot occur in quoted-printable; a caller's own is checked against the bodies. */
  boundary?: string;
}

type Field = keyof ReaderFields;
const FIELDS: readonly Field[] = ['name', 'unsubscribeUrl', 'preferencesUrl'];

interface Hole {
  field: Field;
  /** Ends the body: then it gets no soft break, which would otherwise leave a stray one before the boundary. */
  last: boolean;
}

interface PreparedPart {
  /** QP of the static text around the holes: statics.length === holes.length + 1. */
  statics: Buffer[];
  holes: Hole[];
  /** The HTML template escapes what it inserts; the text template does not. */
  escape: boolean;
  /** The variant's function unguards its whole output (its source held a brace sentinel), reader values included. */
  unguardHoles: boolean;
}

interface Shape {
  text: PreparedPart;
  html: PreparedPart;
}

/** A variant's body, pre-encoded; opaque to callers. One per CompiledVariant, reusable for any number of readers. */
export interface PreparedMime {
  readonly named: Shape;
  readonly anonymous: Shape;
  /** "=_" cannot occur in quoted-printable (a literal "=" is always followed by hex digits or CRLF), so no body can hold it. */
  readonly boundary: string;
}

const QP_LINE = 76;
const HEADER_LINE = 78;
const HEX = Array.from({ length: 256 }, (_, b) => '=' + b.toString(16).toUpperCase().padStart(2, '0'));

/**
 * QP of one line (no LF in it): "=", controls (CR too, so it survives as data) and 8-bit bytes become =XX, and so
 * does whitespace at the end unless a soft break's "=" will follow it (decoders strip whitespace before a line end).
 */
function qpLine(line: string, softEnd: boolean): string {
  if (/^[\x20\x21-\x3c\x3e-\x7e]*$/.test(line) && (softEnd || !line.endsWith(' '))) return line;
  const bytes = Buffer.from(line, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const literal = (b >= 0x21 && b <= 0x7e && b !== 0x3d) || ((b === 0x20 || b === 0x09) && (softEnd || i < bytes.length - 1));
    out += literal ? String.fromCharCode(b) : HEX[b];
  }
  return out;
}

/**
 * QP of a piece of body that starts at column 0: LF becomes a hard CRLF, lines are soft-wrapped at 76
 * without splitting an =XX triplet, and unless `last` the piece ends with a line break (hard or soft),
 * so the next piece starts at column 0 again and pieces encoded apart concatenate into valid QP.
 */
function qpPiece(text: string, last: boolean): string {
  const lines = text.split('\n');
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const hard = i < lines.length - 1;
    const softEnd = !hard && !last && lines[i] !== '';
    const enc = qpLine(lines[i], softEnd);
    const tail = hard ? '\r\n' : softEnd ? '=\r\n' : '';
    // The final physical line may use all 76 columns only if no "=" of a soft break follows it.
    const room = tail === '=\r\n' ? QP_LINE - 1 : QP_LINE;
    let pos = 0;
    while (enc.length - pos > room) {
      let cut = pos + QP_LINE - 1;
      if (enc[cut - 1] === '=') cut -= 1;
      else if (enc[cut - 2] === '=') cut -= 2;
      // Breaking after a nearby space keeps the raw source readable; a space is never inside an =XX triplet.
      const space = enc.lastIndexOf(' ', cut - 1);
      if (space > cut - 20 && space > pos) cut = space + 1;
      out += enc.slice(pos, cut) + '=\r\n';
      pos = cut;
    }
    out += enc.slice(pos) + tail;
  }
  return out;
}

/** What stage 2 inserts for a field, exactly as variant.html/text would: escaped for HTML, unguarded if the variant unguards. */
function holeValue(part: PreparedPart, field: Field, reader: ReaderFields): string {
  const raw = reader[field] ?? '';
  const v = part.escape ? Handlebars.escapeExpression(raw) : raw;
  return part.unguardHoles ? unguard(v) : v;
}

function fill(statics: string[], part: PreparedPart, reader: ReaderFields): string {
  return part.holes.reduce((s, h, i) => s + holeValue(part, h.field, reader) + statics[i + 1], statics[0]);
}

/**
 * The variant's own output with marker values split into static text and holes. Markers are letters and digits
 * (which escaping leaves alone) plus a brace sentinel: whether that comes back as "{" tells if the variant unguards.
 * Its own output is already unguarded, so the static text needs nothing more. A sample reader then checks the split.
 */
function preparePart(render: (r: ReaderFields) => string, markers: ReaderFields, split: RegExp, escape: boolean, samples: ReaderFields[]): PreparedPart {
  const bits = render(markers).split(split);
  const statics: string[] = [];
  const part: PreparedPart = { statics: [], holes: [], escape, unguardHoles: false };
  for (let i = 0; i < bits.length; i += 3) {
    statics.push(bits[i]);
    if (i + 1 >= bits.length) break;
    part.holes.push({ field: FIELDS[Number(bits[i + 1])], last: false });
    part.unguardHoles ||= bits[i + 2] === '{';
  }
  for (const sample of samples) {
    if (fill(statics, part, sample) !== render(sample)) {
      throw new DigestError('RENDER', 'the reader fields of the digest could not be located for fast MIME: the stage-2 template uses them in a way the prepared message cannot reproduce');
    }
  }
  const n = statics.length - 1;
  if (n > 0 && statics[n] === '') part.holes[n - 1].last = true;
  part.statics = statics.map((s, i) => Buffer.from(qpPiece(s, i === n), 'latin1'));
  return part;
}

/** Once per variant: the static parts of its text and HTML, QP-encoded, for readers with and without a name. */
export function prepareVariantMime(variant: CompiledVariant): PreparedMime {
  const nonce = randomBytes(12).toString('hex');
  const marker = (f: Field) => `Zq${nonce}${FIELDS.indexOf(f)}\uE000Qz`;
  const split = new RegExp(`Zq${nonce}(\\d)([\\uE000{])Qz`);
  const sample = { unsubscribeUrl: 'https://u.example/u?a=1&b="2"', preferencesUrl: "https://u.example/p/'x'=`y`" };
  // Two shapes only: the templates branch on {{#if reader.name}}, and Handlebars' #if is false for undefined and "".
  const shape = (named: boolean): Shape => {
    const markers: ReaderFields = { name: named ? marker('name') : undefined, unsubscribeUrl: marker('unsubscribeUrl'), preferencesUrl: marker('preferencesUrl') };
    const samples = named ? [{ ...sample, name: 'Zoë <&"\'`=> {{x}} \uE000 Ünal' }] : [{ ...sample }, { ...sample, name: '' }];
    return {
      text: preparePart(variant.text, markers, split, false, samples),
      html: preparePart(variant.html, markers, split, true, samples),
    };
  };
  return { named: shape(true), anonymous: shape(false), boundary: `=_event-digest-${nonce}` };
}

// ---- headers ----

/** Q for mostly-Latin text, B otherwise, as nodemailer chooses: whichever keeps the encoded word shorter. */
function wordEncoding(value: string): 'Q' | 'B' {
  const nonLatin = value.match(/[^\x00-\x7f]/g)?.length ?? 0;
  return nonLatin < (value.match(/[A-Za-z]/g)?.length ?? 0) ? 'Q' : 'B';
}

/** An unstructured value (Subject): RFC 2047 words when it is not plain ASCII. */
function unstructured(value: string): string {
  return encodeWords(value, wordEncoding(value), 52, true);
}

/** A display name: bare atoms as they are, other ASCII as a quoted-string, anything else as encoded words. */
function phrase(name: string): string {
  if (/^[A-Za-z0-9_ ]*$/.test(name)) return name;
  if (/^[\x20-\x7e]*$/.test(name)) return quoteString(name);
  return encodeWord(name, wordEncoding(name), 52);
}

const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\x80-\uffff-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\x80-\uffff-]+)*$/;
const DOMAIN = /^(?:[\p{L}\p{N}-]+\.)*[\p{L}\p{N}-]+$|^\[[\x21-\x5a\x5e-\x7e]+\]$/u;

/** local@domain as it may stand in a header: an odd local part quoted, an IDN domain punycoded; refuses what it cannot make safe. */
function addrSpec(address: string): string {
  const at = address.lastIndexOf('@');
  if (/[\x00-\x1f\x7f<>]/.test(address) || at < 1) throw new RangeError(`not a usable email address: ${JSON.stringify(address)}`);
  let local = address.slice(0, at);
  let domain = address.slice(at + 1);
  if (!DOT_ATOM.test(local)) local = quoteString(local);
  // A non-ASCII local part needs SMTPUTF8 anyway, so its domain may stay UTF-8 too (nodemailer does the same).
  if (/[^\x00-\x7f]/.test(domain) && !/[^\x00-\x7f]/.test(local)) domain = domainToASCII(domain);
  if (!DOMAIN.test(domain)) throw new RangeError(`not a usable email address: ${JSON.stringify(address)}`);
  return `${local}@${domain}`;
}

function mailbox(name: string, address: string): string {
  const spec = addrSpec(address);
  if (name) return `${phrase(name)} <${spec}>`;
  return /^[^\s"(),:;<>@[\\\]]+@[^\s"(),:;<>@[\\\]]+$/.test(spec) ? spec : `<${spec}>`;
}

/** From or Reply-To as written in configuration ("Name <a@b>"), parsed like nodemailer parses it. */
function addressListHeader(from: string): string {
  const list = addressparser(from, { flatten: true }).filter((a) => a.address);
  if (list.length === 0) throw new RangeError(`no address in ${JSON.stringify(from)}`);
  return list.map((a) => mailbox(headerText(a.name ?? ''), a.address ?? '')).join(', ');
}

/** `Name <id>` (RFC 2919): the name is a phrase, the id stays as it is. */
function listIdHeader(listId: string): string {
  const m = /^(.*?)\s*<([^<>]*)>$/.exec(headerText(listId));
  if (!m) return unstructured(headerText(listId));
  const id = m[2].replace(/[^\x21-\x7e]/g, '');
  return m[1] ? `${phrase(m[1])} <${id}>` : `<${id}>`;
}

/** A URL inside <…>: no whitespace, controls or brackets can end it early; non-ASCII percent-encoded. */
function headerUri(url: string): string {
  const clean = url.replace(/[\x00-\x20\x7f<>\u2028\u2029]/g, '');
  return clean.replace(/[^\x00-\x7f]+/gu, (s) => [...Buffer.from(s, 'utf8')].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join(''));
}

function messageIdHeader(id: string): string {
  const clean = id.replace(/[^\x21-\x7e]|[<>]/g, '');
  if (!clean.includes('@')) throw new RangeError(`not a usable Message-ID: ${JSON.stringify(id)}`);
  return `<${clean}>`;
}

/** By the second, which is all the header shows: a run's messages share a handful of values. */
const dateMemo = memo((second: number) => new Date(second * 1000).toUTCString().replace(/GMT$/, '+0000'));

function dateHeader(date: Date): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date for the Date header');
  return dateMemo(Math.floor(ms / 1000));
}

const header = (key: string, value: string) => foldLines(value ? `${key}: ${value}` : `${key}:`, HEADER_LINE);

/**
 * The values shared by a whole issue (From, List-Id) or by a variant (Subject) encoded once and reused: a
 * send interleaves its variants reader by reader, so the cache holds several, and starts over if it ever
 * grows past a few hundred (it is a cache, never a list of readers).
 */
function memo<K>(fn: (v: K) => string, limit = 256): (v: K) => string {
  const seen = new Map<K, string>();
  return (v) => {
    let out = seen.get(v);
    if (out === undefined) {
      if (seen.size >= limit) seen.clear();
      seen.set(v, (out = fn(v)));
    }
    return out;
  };
}
const fromMemo = memo((v: string) => header('From', addressListHeader(v)));
const replyToMemo = memo((v: string) => header('Reply-To', addressListHeader(v)));
const subjectMemo = memo((v: string) => header('Subject', unstructured(headerText(v))));
const listIdMemo = memo((v: string) => header('List-Id', listIdHeader(v)));

const BCHARS = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

function headers(env: Envelope, boundary: string): string {
  const unsubscribe = [env.unsubscribeUrl, ...(env.unsubscribeMailto ? [env.unsubscribeMailto] : [])].map((u) => `<${headerUri(u)}>`).join(', ');
  const optional = (name: string, url: string | undefined) => (url ? [header(name, `<${headerUri(url)}>`)] : []);
  return [
    fromMemo(env.from),
    ...(env.replyTo ? [replyToMemo(env.replyTo)] : []),
    header('To', mailbox(headerText(env.to.name ?? ''), env.to.address)),
    subjectMemo(env.subject),
    header('Message-ID', messageIdHeader(env.messageId)),
    `Date: ${dateHeader(env.date)}`,
    'MIME-Version: 1.0',
    listIdMemo(env.listId),
    header('List-Unsubscribe', unsubscribe),
    'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    ...optional('List-Archive', env.listArchive),
    ...optional('List-Subscribe', env.listSubscribe),
    // RFC 3834: auto-responders (vacation replies) leave bulk mail alone.
    'Precedence: bulk',
    header('Content-Type', `multipart/alternative; boundary="${boundary}"`),
  ].join('\r\n');
}

const TEXT_HEAD = 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n';
const HTML_HEAD = 'Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n';

/** A message's pieces: shared pre-encoded Buffers, and strings (all ASCII but the headers, which may carry UTF-8). */
type Piece = Buffer | string;

function pushPart(out: Piece[], part: PreparedPart, reader: ReaderFields): void {
  out.push(part.statics[0]);
  for (let i = 0; i < part.holes.length; i++) {
    const h = part.holes[i];
    out.push(qpPiece(holeValue(part, h.field, reader), h.last), part.statics[i + 1]);
  }
}

/**
 * Where a caller lets messages be built over one another: the buffer is reused, grown when a message needs more.
 * Each message is then valid only until the next is built into the same scratch.
 */
export interface Scratch {
  buf?: Buffer;
}

/** One reader's complete message (headers and both parts), CRLF throughout, ready for SMTP DATA; into `scratch` when given. */
export function rawMessage(prepared: PreparedMime, reader: ReaderFields, env: Envelope, scratch?: Scratch): Buffer {
  const shape = reader.name ? prepared.named : prepared.anonymous;
  const boundary = env.boundary ?? prepared.boundary;
  if (!BCHARS.test(boundary)) throw new RangeError(`not a valid MIME boundary: ${JSON.stringify(boundary)}`);
  const out: Piece[] = [];
  pushPart(out, shape.text, reader);
  out.push(`\r\n--${boundary}\r\n${HTML_HEAD}`);
  pushPart(out, shape.html, reader);
  out.push(`\r\n--${boundary}--\r\n`);
  // The head alone may hold UTF-8 (a header left unencoded); every other string is QP or ASCII, one byte a character.
  const head = `${headers(env, boundary)}\r\n\r\n--${boundary}\r\n${TEXT_HEAD}`;
  const headBytes = Buffer.byteLength(head, 'utf8');
  let total = headBytes;
  for (const p of out) total += p.length;
  // No Buffer per piece: each is written straight into the message (a 1,000,000-reader run otherwise allocates millions).
  let message: Buffer;
  if (scratch) {
    if (!scratch.buf || scratch.buf.length < total) scratch.buf = Buffer.allocUnsafeSlow(Math.max(total, 2 * (scratch.buf?.length ?? 0)));
    message = scratch.buf.subarray(0, total);
  } else message = Buffer.allocUnsafe(total);
  let at = message.write(head, 0, 'utf8');
  for (const p of out) at += typeof p === 'string' ? message.write(p, at, 'latin1') : p.copy(message, at);
  // Only a caller's own boundary can collide: ours contains "=_", which QP never writes. Pieces all end in CRLF,
  // so a delimiter in a body would stand at a line start: exactly three such lines must exist.
  if (env.boundary !== undefined) {
    const delimiter = Buffer.from(`\n--${boundary}`, 'latin1');
    let count = 0;
    for (let at = message.indexOf(delimiter); at !== -1; at = message.indexOf(delimiter, at + 1)) count++;
    if (count !== 3) throw new RangeError(`the MIME boundary ${JSON.stringify(boundary)} occurs in the message body`);
  }
  return message;
}
