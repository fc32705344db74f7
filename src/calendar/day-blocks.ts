// A zone's offset or name at the start of each UTC day, asked of Intl for about one day in four.

/**
 * Days asked together: when a block's first day and the next block's first day have the same
 * value, every day between has it too, since no zone changes its offset and back within four days.
 * The shortest such periods in tzdata 1900–2040 last seven (Brazil's summer time of October 2000 in
 * Recife, Noronha and Boa Vista), then nine and ten (1943, 1945); Ramadan pauses last about a month.
 * A big calendar's events fall on hundreds of days per zone, and each answer from Intl costs
 * 10–40 µs (five times that for a name ICU knows only in some English locales).
 */
const BLOCK_DAYS = 4;

/** The value at the start of `day` (days since the epoch, UTC), from `days` or by `ask` (given the day), which fills `days`. */
export function dayStartValue<T>(days: Map<number, T>, day: number, ask: (day: number) => T): T {
  const known = days.get(day);
  if (known !== undefined) return known;
  if (days.size > 100_000) days.clear();
  const asked = (d: number) => {
    let v = days.get(d);
    if (v === undefined) days.set(d, (v = ask(d)));
    return v;
  };
  const first = day - (((day % BLOCK_DAYS) + BLOCK_DAYS) % BLOCK_DAYS);
  const value = asked(first);
  if (value !== asked(first + BLOCK_DAYS)) return asked(day);
  for (let d = first + 1; d < first + BLOCK_DAYS; d++) days.set(d, value);
  return value;
}
