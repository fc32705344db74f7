// The gazetteer as the subscriber checks use it (PlaceLookup): loaded on the first place typed, never before.
import type { PlaceLookup } from '../subscribers/input.ts';
import { loadGazetteer } from './gazetteer.ts';
import { resolvePlace } from './resolve.ts';

export const gazetteerLookup: PlaceLookup = {
  resolve: async (text) => resolvePlace(await loadGazetteer(), text),
};
