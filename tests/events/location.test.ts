// Where and how to join: the online rule for free-text locations (ICS LOCATION, YAML strings), the street
// address with its map link, the join link, and check counting a join link as a link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectWindow } from '../../src/calendar/select.ts';
import { windowFor } from '../../src/calendar/window.ts';
import { loadIcsText } from '../../src/events/ics/load.ts';
import { fullAddress, joinUrl, locationFromText, mapUrl } from '../../src/events/location.ts';
import { hasUsableLink } from '../../src/events/rules/link-urls.ts';
import { whenText } from '../../src/render/when.ts';
import { preSendChecks } from '../../src/web/checks.ts';
import { event, loadYaml } from '../helpers/events.ts';

test('a LOCATION that is a URL or names an online platform (any case) is online; a place is not', () => {
  for (const text of ['Online', 'ONLINE', 'zoom', 'Zoom call', 'Google Meet', 'Microsoft Teams', 'Teams', 'virtual', 'Virtual event']) {
    assert.equal(locationFromText(text)?.online, true, text);
  }
  assert.deepEqual(locationFromText('https://zoom.us/j/123'), { online: true, url: 'https://zoom.us/j/123' });
  assert.deepEqual(locationFromText('Zoom: https://zoom.us/j/123.'), { venue: 'Zoom', online: true, url: 'https://zoom.us/j/123' });
  assert.deepEqual(locationFromText('Online'), { online: true });
  // Outlook writes the Teams link in the description.
  assert.deepEqual(locationFromText('Microsoft Teams Meeting', { description: 'Join: https://teams.microsoft.com/l/meetup-join/abc ok' }), { venue: 'Microsoft Teams Meeting', online: true, url: 'https://teams.microsoft.com/l/meetup-join/abc' });
  assert.deepEqual(locationFromText('Hall 2', { conferenceUrl: 'https://meet.google.com/abc-defg-hij' }), { venue: 'Hall 2', online: true, url: 'https://meet.google.com/abc-defg-hij' });
  for (const place of ['Riverside Public Library', 'Teamsters Hall', 'Zoomtopia Café']) assert.deepEqual(locationFromText(place), { venue: place }, place);
  assert.equal(locationFromText('  '), undefined);
});

test('the street address, an OpenStreetMap search without tracking, and the join link', () => {
  const hall = { venue: 'Community Hall', address: '1250 Main St', city: 'Washington', region: 'DC' };
  assert.equal(fullAddress(hall), 'Community Hall, 1250 Main St, Washington, DC');
  assert.equal(mapUrl(hall), 'https://www.openstreetmap.org/search?query=1250%20Main%20St%2C%20Washington%2C%20DC');
  assert.equal(fullAddress({ online: true, venue: 'Zoom', url: 'https://zoom.us/j/1' }), undefined, 'the service is no place');
  assert.equal(mapUrl({ online: true, venue: 'Zoom' }), undefined);
  assert.equal(joinUrl({ online: true, venue: 'Zoom', url: 'https://zoom.us/j/1' }), 'https://zoom.us/j/1');
  assert.equal(joinUrl({ venue: 'Hall', url: 'https://example.org' }), undefined, 'an in-person place has no join link');
});

const ICS = (location: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    'UID:bank@example.org',
    'DTSTAMP:20161101T000000Z',
    'DTSTART;TZID=America/New_York:20161201T190000',
    'DTEND;TZID=America/New_York:20161201T200000',
    'SUMMARY:Phone bank',
    `LOCATION:${location}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

test('an ICS event at LOCATION:Online, Zoom or a URL is shown to a Berlin reader in Berlin time, with its join link', () => {
  const win = windowFor('2016-11-28', 1, 'America/New_York');
  for (const [location, url] of [['Online', undefined], ['Zoom', undefined], ['https://zoom.us/j/8001', 'https://zoom.us/j/8001']] as const) {
    const r = loadIcsText(ICS(location), 'bank.ics', { listTimezone: 'America/New_York', kinds: ['action'], defaultKind: 'action' });
    assert.deepEqual(r.findings.filter((f) => f.severity === 'error'), []);
    const ev = r.events[0];
    assert.equal(ev.location?.online, true, location);
    assert.equal(ev.location?.url, url);
    const o = selectWindow([ev], win, { kinds: [], months: 0 }).occurrences[0];
    assert.equal(whenText(o, 'Europe/Berlin', win).when, 'Fri, Dec 2 · 1:00 – 2:00 AM CET (Thu, Dec 1, 7:00 PM EST)', location);
  }
});

test('YAML: location "Zoom" or a URL is online too; check counts a join link as a link', () => {
  const { events, findings } = loadYaml(`events:
  - id: bank
    title: Phone bank
    start: 2016-12-01T19:00
    end: 2016-12-01T20:00
    location: https://zoom.us/j/8001
  - id: nolink
    title: Meeting without a link
    start: 2016-12-02T19:00
    end: 2016-12-02T20:00
    location: Zoom
`);
  assert.deepEqual(findings.filter((f) => f.severity === 'error'), []);
  const [bank, nolink] = events;
  assert.deepEqual(bank.location, { online: true, url: 'https://zoom.us/j/8001' });
  assert.equal(hasUsableLink(bank), true);
  assert.equal(hasUsableLink(nolink), false);
  assert.equal(hasUsableLink(event({ start: '2016-12-01T10:00', location: { online: true, url: 'javascript:alert(1)' } })), false);
  const selection = selectWindow(events, windowFor('2016-11-28', 1, 'America/New_York'), { kinds: [], months: 0 });
  const messages = preSendChecks({ findings: [], selection, kinds: ['action'], htmlBytes: 40_000, readerZones: new Map(), listZone: 'America/New_York' }).map((c) => c.message);
  assert.ok(!messages.some((m) => m.includes('“Phone bank” has no link')), messages.join('\n'));
  assert.ok(messages.some((m) => m.includes('“Meeting without a link” has no link')), messages.join('\n'));
});
