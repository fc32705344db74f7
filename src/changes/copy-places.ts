// Whose copy listed an event, by place: a reader with a place got only the local in-person events within their
// radius (and every national or online one), so a correction about a far event is not theirs. An instance an override
// held elsewhere was measured from its own place.
import type { Config } from '../config/schema.ts';
import type { CalendarEvent } from '../events/model.ts';
import type { IssueReader } from '../store/store.ts';
import type { CorrectionChange } from './corrections.ts';
import type { IssueSnapshot } from './model.ts';
import { reviveEvents } from './snapshot.ts';

export type ListedFor = (reader: IssueReader, change: CorrectionChange) => boolean;

/**
 * Undefined when no reader's copy had a place (every copy listed every event of its kinds). The gazetteer
 * loads only when a reader had a place and an event of the issue has no coordinates of its own.
 */
export async function listedByPlace(config: Pick<Config, 'radius' | 'distanceUnit'>, snapshot: IssueSnapshot, readers: readonly IssueReader[]): Promise<ListedFor | undefined> {
  if (!readers.some((r) => r.place)) return undefined;
  const { eventPoints, instanceAt, needsGazetteer } = await import('../places/event-place.ts');
  const { loadGazetteer } = await import('../places/gazetteer.ts');
  const { nearness } = await import('../places/nearby.ts');
  const events = new Map<string, CalendarEvent>(reviveEvents(snapshot.events).map((e) => [e.id, e]));
  const all = [...events.values()];
  const nearby = { unit: config.distanceUnit, points: await eventPoints(needsGazetteer(all) ? await loadGazetteer() : undefined, all) };
  return (reader, change) => {
    const ev = events.get(change.before.eventId);
    if (!reader.place || !ev) return true;
    const place = { name: '', lat: reader.place.lat, lon: reader.place.lon, radius: reader.place.radius ?? config.radius };
    return nearness(instanceAt(ev, change.before.recurrenceId), place, nearby).listed;
  };
}
