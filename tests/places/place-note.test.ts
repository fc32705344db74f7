// A place typed on the reader forms that names several towns ("Springfield") is taken as the largest, and the
// page says so, with how to choose another: the subscribe and the preferences pages, through the app.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readerLinks } from '../../src/subscribers/links.ts';
import { webEnv, type WebEnv } from '../helpers/web-env.ts';

const NOTE = /Where you are: &#39;Springfield&#39; is Springfield, [A-Z]{2}, the largest of \d+ places of that name \(add the state or country to choose another\)/;

describe('which Springfield: the reader forms say which town an ambiguous place was taken to be', () => {
  let w: WebEnv;
  before(async () => void (w = await webEnv()));
  after(async () => w?.close());

  it('subscribe: the note beside "Check your inbox"; a place that names one town has none', async () => {
    const res = await w.post('/subscribe', { email: 'sam@example.org', timezone: 'America/Chicago', kinds: ['action'], location: 'Springfield', radius: '50' });
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /Check your inbox/);
    assert.match(page, NOTE);
    assert.match(page, /you can change it under My preferences/);
    const exact = await (await w.post('/subscribe', { email: 'sue@example.org', timezone: 'America/Chicago', kinds: ['action'], location: 'Springfield, MA', radius: '50' })).text();
    assert.match(exact, /Check your inbox/);
    assert.doesNotMatch(exact, /the largest of/);
  });

  it('preferences: saved, with the note; saving again with the stored name says nothing more', async () => {
    const { subscriber } = await w.store.subscribers.add({ email: 'pat@example.org' }, { source: 'test' });
    const { preferencesUrl } = readerLinks(w.config.baseUrl, await w.store.meta.linkSecret(), subscriber.id);
    const path = new URL(preferencesUrl).pathname;
    const saved = await (await w.post(path, { name: 'Pat', timezone: 'America/Chicago', kinds: ['action'], location: 'Springfield', radius: '50' })).text();
    assert.match(saved, /Saved\./);
    assert.match(saved, NOTE);
    const stored = (await w.store.subscribers.get(subscriber.id))!.location!.name;
    assert.match(stored, /^Springfield, [A-Z]{2}$/);
    const again = await (await w.post(path, { name: 'Pat', timezone: 'America/Chicago', kinds: ['action'], location: stored, radius: '50' })).text();
    assert.match(again, /Saved\./);
    assert.doesNotMatch(again, /the largest of/);
  });
});
