// The organizer's preview with a reader's place: the Ohio week as a reader in Columbus gets it; an unknown place is refused in the resolver's words.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { visibleText } from '../helpers/render.ts';
import { webEnv, type WebEnv } from '../helpers/web-env.ts';

describe('admin preview near a place', () => {
  let w: WebEnv;
  before(async () => void (w = await webEnv({ now: '2030-05-05T12:00:00Z', events: 'tests/fixtures/places/ohio.yaml', config: { kinds: ['action'] } })));
  after(() => w?.close());

  it('the place field previews a reader there: the Cleveland rally left out, distances shown', async () => {
    const page = await w.req('/admin?date=2030-05-06&near=Columbus%2C+OH&radius=50');
    assert.equal(page.status, 200);
    const body = await page.text();
    assert.match(body, /<input id="near" type="text" name="near" value="Columbus, OH"/);
    assert.match(body, /<span id="near-place">near Columbus, OH \(50 mi\)<\/span>/);
    const framed = visibleText(await (await w.req('/admin/preview.html?date=2030-05-06&tz=America%2FNew_York&near=Columbus%2C+OH')).text());
    assert.match(framed, /Newark canvass .* \d+ mi away/);
    assert.ok(!framed.includes('Cleveland rally'));
    const plain = visibleText(await (await w.req('/admin/preview.html?date=2030-05-06&tz=America%2FNew_York')).text());
    assert.ok(plain.includes('Cleveland rally') && !plain.includes('mi away'));
  });

  it('an unknown place: 400 with the resolver\'s words', async () => {
    const page = await w.req('/admin?date=2030-05-06&near=Colombus%2C+OH');
    assert.equal(page.status, 400);
    assert.match(await page.text(), /unknown place &#39;Colombus, OH&#39;; did you mean Columbus, OH\?/);
  });
});
