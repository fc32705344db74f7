// The clock is an argument: everything time-dependent takes a Clock, and DIGEST_NOW sets it at the edge.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at one instant (DIGEST_NOW, tests). */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}
