// Address and field checks: a practical validator that names the problem, and no line breaks anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressProblem, emailKey } from '../../src/subscribers/address.ts';
import { checkSubscriber } from '../../src/subscribers/input.ts';
import { KINDS } from './helpers.ts';

test('addresses mail systems accept pass', () => {
  for (const a of ['a@example.org', 'first.last+tag@sub.example.co.uk', "o'brien@example.org", 'x_y-z@ex-ample.org', 'josé@exämple.de', 'UPPER@EXAMPLE.ORG', `${'l'.repeat(64)}@example.org`]) {
    assert.equal(addressProblem(a), undefined, a);
  }
});

test('each kind of bad address is named', () => {
  const cases: [string, RegExp][] = [
    ['', /^no email address$/],
    ['ann', /exactly one @/],
    ['a@b@example.org', /exactly one @/],
    ['ann@example', /the domain has no dot/],
    ['ann@example.', /malformed/],
    ['ann@-example.org', /malformed/],
    ['ann@exa_mple.org', /malformed/],
    ['ann@10.0.0.1', /numeric top level/],
    ['@example.org', /before @ is empty/],
    ['.ann@example.org', /misplaced dot/],
    ['an..n@example.org', /misplaced dot/],
    ['an n@example.org', /contains a space/],
    ['ann@exam\tple.org', /control character/],
    ['Ann <ann@example.org>', /contains a space/],
    ['"ann"@example.org', /contains a space, a control character or one of/],
    ['ann@example.org\r\nBcc: victim@example.org', /line break/],
    ['ann\n@example.org', /line break/],
    [`${'l'.repeat(65)}@example.org`, /too long/],
    [`a@${'d'.repeat(62)}.${'e'.repeat(62)}.${'f'.repeat(62)}.${'g'.repeat(62)}.org`, /longer than 254/],
  ];
  for (const [a, why] of cases) assert.match(addressProblem(a) ?? 'accepted', why, JSON.stringify(a));
});

test('the key trims and lower-cases, the address keeps its case', () => {
  assert.equal(emailKey('  Ann.Lee@Example.ORG '), 'ann.lee@example.org');
  const c = checkSubscriber({ email: '  Ann.Lee@Example.ORG ' }, KINDS);
  assert.ok(c.ok);
  assert.equal(c.fields.email, 'Ann.Lee@Example.ORG');
});

test('a trailing line break is not trimmed away, in the address or the name', () => {
  const a = checkSubscriber({ email: 'ann@example.org\n' }, KINDS);
  assert.ok(!a.ok && a.problems[0].message === 'the address contains a line break');
  const n = checkSubscriber({ email: 'ann@example.org', name: 'Ann\r\nBcc: x@example.org' }, KINDS);
  assert.deepEqual(!n.ok && n.problems, [{ field: 'name', message: 'the name contains a line break' }]);
});

test('zone and kinds: validated, normalised, every problem reported', () => {
  const ok = checkSubscriber({ email: 'a@example.org', name: '  ', timezone: 'america/chicago', kinds: ['conference', 'action', 'conference'] }, KINDS);
  assert.deepEqual(ok.ok && ok.fields, { email: 'a@example.org', name: null, timezone: 'America/Chicago', kinds: ['action', 'conference'] });
  const all = checkSubscriber({ email: 'a@example.org', kinds: ['all'] }, KINDS);
  assert.deepEqual(all.ok && all.fields.kinds, []);
  const keep = checkSubscriber({ email: 'a@example.org' }, KINDS);
  assert.deepEqual(keep.ok && [keep.fields.name, keep.fields.timezone, keep.fields.kinds], [undefined, undefined, undefined]);
  const bad = checkSubscriber({ email: 'nope', timezone: 'Mars/Olympus', kinds: ['webinar', 'party', 'all'] }, KINDS);
  assert.deepEqual(!bad.ok && bad.problems.map((p) => p.field), ['email', 'timezone', 'kinds', 'kinds']);
  assert.deepEqual(!bad.ok && bad.problems.slice(1).map((p) => p.message), [
    "unknown time zone 'Mars/Olympus'",
    "unknown kind 'party' (kinds: action, webinar, conference)",
    "unknown kind 'all' (kinds: action, webinar, conference)",
  ]);
});
