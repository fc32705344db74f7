// The fast MIME path, read back by mailparser: bodies byte-identical to the variant's output, headers equal to nodemailer's, wire format strict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Handlebars from 'handlebars';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { buildMessage, listIdFor } from '../../src/mail/message.ts';
import { prepareVariantMime, rawMessage, type Envelope, type PreparedMime, type Scratch } from '../../src/mail/fast-mime.ts';
import type { CompiledVariant, ReaderFields } from '../../src/render/compile.ts';
import { headerText } from '../../src/render/safe-text.ts';
import { event } from '../helpers/events.ts';
import { READER, render, seedEvents } from '../helpers/render.ts';

const FROM = 'Movement Digest <digest@example.org>';
// What a signed token URL really looks like: longer than a header line.
const SIGNED_URL = 'https://digest.example.org/unsubscribe/dW5zdWJzY3JpYmU6MTIzNDU.QmFzZTY0VXJsU2lnbmF0dXJlT2YzMkJ5dGVzQUJDREVGRw';

const READERS: Record<string, ReaderFields> = {
  named: READER,
  anonymous: { ...READER, name: undefined },
  empty: { ...READER, name: '' },
  nonAscii: { ...READER, name: 'Zoë Ünal' },
  specials: { ...READER, name: 'O\'Brien, "Bob" <bob@evil.example>; (x)' },
  // Whitespace before a line break (in the name, and ending the preferences line) must be encoded or decoders drop it.
  hostile: { ...READER, name: `Ana & <b>Bo</b> \t\n= {{reader.unsubscribeUrl}} \uE000 😀 ${'ü'.repeat(60)} `, unsubscribeUrl: SIGNED_URL, preferencesUrl: 'https://digest.example.org/p?a=1&b="2" ' },
  crlf: { ...READER, name: 'Eve\r\nBcc: victim@example.org' },
};

const LONG_WORD = `https://very.example.org/${'a=b&c=%20'.repeat(30)}`;
/** Calendar text that stresses QP: braces, "=", trailing and leading whitespace, a 300-character word, non-ASCII, emoji. */
const hostileWeek = () => [
  event({
    id: 'hostile',
    kind: 'action',
    title: `Café {{reader.name}} = {{#if x}} 🎉 naïve — “quoted” ${'ü'.repeat(40)}`,
    start: '2016-12-01T18:00',
    end: '2016-12-01T19:00',
    description: ['{{{reader.unsubscribeUrl}}} {{> footer}} 😀😀', 'x=3D y=20 = tab\there', LONG_WORD].join('\n'),
    location: { venue: 'Hall Ü', city: 'Zürich' },
    links: [{ label: 'Régister ✓', url: 'https://good.example/r?a=1&b=2' }],
  }),
  // A title starts a line of the text part: it could pose as a MIME delimiter.
  event({ id: 'delimiter', kind: 'action', title: '--not-a-boundary', start: '2016-12-02T18:00', end: '2016-12-02T19:00', location: { venue: 'Hall', city: 'Washington' } }),
];

interface Week {
  name: string;
  variant: CompiledVariant;
  prepared: PreparedMime;
}
const weeks: Promise<Week[]> = Promise.all(
  [['seed', seedEvents()] as const, ['hostile', hostileWeek()] as const].map(async ([name, events]) => {
    const { compiled } = await render(events);
    return { name, variant: compiled, prepared: prepareVariantMime(compiled) };
  }),
);

function envelope(reader: ReaderFields, subject: string, extra: Partial<Envelope> = {}): Envelope {
  return {
    from: FROM,
    to: { name: reader.name, address: 'reader.one@example.org' },
    subject,
    messageId: 'issue-12.subscriber-34@digest.example.org',
    date: new Date('2016-11-28T13:00:00Z'),
    listId: listIdFor('Movement Digest', FROM),
    unsubscribeUrl: reader.unsubscribeUrl,
    unsubscribeMailto: 'mailto:unsubscribe@digest.example.org?subject=unsubscribe',
    ...extra,
  };
}

/** Every week with every reader: the raw fast message, its parse, and the nodemailer message's parse. */
async function* cases() {
  for (const w of await weeks) {
    for (const [who, reader] of Object.entries(READERS)) {
      const env = envelope(reader, w.variant.subject);
      const raw = rawMessage(w.prepared, reader, env);
      const reference = await buildMessage({ ...env, text: w.variant.text(reader), html: w.variant.html(reader) });
      yield { label: `${w.name} week, ${who} reader`, w, reader, raw, fast: await simpleParser(raw), slow: await simpleParser(reference) };
    }
  }
}

const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value);

test('html and text read back from the message are byte-identical to the variant rendered for that reader', async () => {
  for await (const c of cases()) {
    assert.equal(c.fast.html, c.w.variant.html(c.reader), `${c.label}: html`);
    assert.equal(c.fast.text, c.w.variant.text(c.reader), `${c.label}: text`);
  }
});

test('messages built one over another in a scratch buffer are byte for byte those built alone; the buffer grows when it must', async () => {
  const scratch: Scratch = {};
  let grew = 0;
  let reused = 0;
  // The seed week's messages, then the hostile week's longer ones: the buffer has to grow at least once.
  const runs = (await weeks).flatMap((w) => Object.entries(READERS).map(([who, reader]) => ({ w, who, reader })));
  for (const { w, who, reader } of runs) {
    const env = envelope(reader, w.variant.subject);
    const before = scratch.buf;
    const built = rawMessage(w.prepared, reader, env, scratch);
    assert.equal(Buffer.compare(built, rawMessage(w.prepared, reader, env)), 0, `${w.name} week, ${who} reader`);
    if (before && built.buffer === before.buffer) reused++;
    else if (before) grew++;
  }
  assert.ok(grew >= 1, 'a longer message than the buffer holds grows it');
  assert.ok(reused >= runs.length - 3, `messages reuse the buffer (reused ${reused} of ${runs.length})`);
});

/** The wire format: CRLF only, header lines ≤ 78, QP lines ≤ 76 with whole =XX triplets and no trailing whitespace, 7-bit. */
function assertWireFormat(raw: Buffer, label: string, headerLimit = 78): void {
  const s = raw.toString('latin1');
  assert.doesNotMatch(s, /\r(?!\n)|(?<!\r)\n/, `${label}: a bare CR or LF`);
  assert.ok(s.endsWith('--\r\n'), `${label}: ends with the closing delimiter and CRLF`);
  const end = s.indexOf('\r\n\r\n');
  const boundary = /boundary="([^"]+)"/.exec(s.slice(0, end))?.[1];
  assert.ok(boundary, `${label}: a boundary`);
  for (const line of s.slice(0, end).split('\r\n')) {
    assert.ok(line.length <= headerLimit, `${label}: header line of ${line.length}: ${line}`);
    assert.match(line, /^([A-Za-z-]+:( |$)|[ \t]\S)/, `${label}: a header line that is neither a field nor a continuation: ${line}`);
  }
  const parts = s.slice(end + 4).split(`--${boundary}`);
  assert.deepEqual([parts.length, parts[0], parts[3]], [4, '', '--\r\n'], `${label}: two parts, no preamble, the delimiter nowhere else`);
  for (const part of parts.slice(1, 3)) {
    const sep = part.indexOf('\r\n\r\n');
    assert.match(part.slice(0, sep), /^\r\nContent-Type: text\/(plain|html); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable$/);
    assert.ok(part.endsWith('\r\n'), `${label}: the CRLF before a delimiter`);
    assert.doesNotMatch(part, /=\r\n\r\n$/, `${label}: a soft break with nothing after it ends a body`);
    for (const line of part.slice(sep + 4, -2).split('\r\n')) {
      assert.ok(line.length <= 76, `${label}: body line of ${line.length}: ${line}`);
      assert.match(line, /^[\t\x20-\x7e]*$/, `${label}: 8-bit or control byte in a body line`);
      assert.doesNotMatch(line, /=(?![0-9A-F]{2}|$)/, `${label}: an "=" that is neither a whole triplet nor a soft break: ${line}`);
      assert.doesNotMatch(line, /[ \t]$/, `${label}: trailing whitespace, which decoders strip: ${JSON.stringify(line)}`);
    }
  }
}

test('wire format: CRLF everywhere, headers folded at 78, quoted-printable lines at 76, no split triplets', async () => {
  for await (const c of cases()) {
    // A signed unsubscribe URL cannot be folded (whitespace inside <> is not reliably ignored): it may run to 998, alone on its line.
    const long = c.reader.unsubscribeUrl === SIGNED_URL;
    assertWireFormat(c.raw, c.label, long ? 998 : 78);
    if (long) {
      const over = c.raw.toString('latin1').split('\r\n\r\n')[0].split('\r\n').filter((l) => l.length > 78);
      assert.deepEqual(over, [` <${SIGNED_URL}>,`], `${c.label}: only the unbreakable URL is over 78`);
    }
  }
});

test('the headers read back equal those of the nodemailer-built message', async () => {
  for await (const c of cases()) {
    assert.equal(c.fast.subject, c.slow.subject, `${c.label}: subject`);
    assert.ok(c.fast.subject && /[^\x00-\x7f]/.test(c.fast.subject), `${c.label}: the seed subject has an en dash, so encoded words were exercised`);
    assert.deepEqual(addresses(c.fast.from), addresses(c.slow.from), `${c.label}: from`);
    assert.deepEqual(addresses(c.fast.to), addresses(c.slow.to), `${c.label}: to`);
    assert.equal(addresses(c.fast.to)[0].name, headerText(c.reader.name ?? ''), `${c.label}: the name as given`);
    assert.equal(c.fast.messageId, c.slow.messageId, `${c.label}: message id`);
    assert.equal(c.fast.date?.getTime(), c.slow.date?.getTime(), `${c.label}: date`);
    assert.deepEqual(c.fast.headers.get('list'), c.slow.headers.get('list'), `${c.label}: List-Id, List-Unsubscribe, List-Unsubscribe-Post`);
    assert.equal(c.fast.headers.get('mime-version'), '1.0');
    const type = c.fast.headers.get('content-type') as { value: string };
    assert.equal(type.value, 'multipart/alternative');
  }
});

test('no CR or LF in a name, subject, list id, message id or URL can add a header', async () => {
  const [seed] = await weeks;
  const reader = READERS.crlf;
  const env = envelope(reader, 'Hi\r\nBcc: a@example.org\r\n\r\n<b>body</b>', {
    listId: 'List\r\nX-Injected: 1 <list.example.org>',
    messageId: 'm1@example.org>\r\nX-Injected: 2',
    unsubscribeUrl: 'https://digest.example.org/u\r\nX-Injected: 3',
    unsubscribeMailto: 'mailto:u@example.org>\nX-Injected: 4',
  });
  const raw = rawMessage(seed.prepared, reader, env);
  assertWireFormat(raw, 'injection');
  const parsed: ParsedMail = await simpleParser(raw);
  assert.deepEqual([...parsed.headers.keys()].sort(), ['content-type', 'date', 'from', 'list', 'message-id', 'mime-version', 'precedence', 'subject', 'to']);
  assert.equal(parsed.bcc, undefined);
  assert.deepEqual(addresses(parsed.to).map((a) => a.address), ['reader.one@example.org']);
  assert.equal(parsed.subject, 'Hi Bcc: a@example.org <b>body</b>');
  assert.equal(parsed.html, seed.variant.html(reader), 'the body is still the variant with the name in it');
  // Addresses cannot be made safe by cleaning: they are refused.
  assert.throws(() => rawMessage(seed.prepared, reader, { ...env, to: { address: 'eve@example.org\r\nBcc: x@example.org' } }), RangeError);
  assert.throws(() => rawMessage(seed.prepared, reader, { ...env, to: { address: 'eve@example.org>, x@example.org' } }), RangeError);
});

test('a boundary of the caller that occurs in a body is refused; the default one cannot occur', async () => {
  const hostile = (await weeks)[1];
  const env = envelope(READER, hostile.variant.subject);
  assert.ok(hostile.variant.text(READER).includes('\n--not-a-boundary\n'));
  assert.throws(() => rawMessage(hostile.prepared, READER, { ...env, boundary: 'not-a-boundary' }), /occurs in the message body/);
  const parsed = await simpleParser(rawMessage(hostile.prepared, READER, { ...env, boundary: 'b1' }));
  assert.equal(parsed.text, hostile.variant.text(READER));
});

test('a variant whose reader fields cannot be located is refused at prepare time', async () => {
  const [seed] = await weeks;
  const shouting: CompiledVariant = { ...seed.variant, html: (r) => seed.variant.html({ ...r, name: r.name?.toUpperCase() }) };
  assert.throws(() => prepareVariantMime(shouting), /could not be located/);
});

test('a body that ends with a reader field ends without a dangling soft break', async () => {
  const [seed] = await weeks;
  const v = seed.variant;
  const tailing: CompiledVariant = { ...v, text: (r) => v.text(r) + r.unsubscribeUrl, html: (r) => v.html(r) + Handlebars.escapeExpression(r.preferencesUrl) };
  const prepared = prepareVariantMime(tailing);
  for (const reader of [READERS.named, READERS.hostile]) {
    const raw = rawMessage(prepared, reader, envelope(reader, v.subject));
    assertWireFormat(raw, 'tailing', 998);
    const parsed = await simpleParser(raw);
    assert.equal(parsed.text, tailing.text(reader));
    assert.equal(parsed.html, tailing.html(reader));
  }
});
