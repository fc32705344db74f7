// Expands the common RRULE shapes (daily, weekly, monthly by day) by arithmetic, seeking straight to the range.
import type rrulePkg from 'rrule';
type RRuleT = InstanceType<typeof rrulePkg.RRule>;
const DAY = 86_400_000;
const rrWday = (dayF: number) => (new Date(dayF).getUTCDay() + 6) % 7; // rrule.js weekdays: 0 = MO

/** Starts in [fromF, toF] like rule.between(from, to, true); null when the shape is not handled (use rrule.js). */
export function fastBetween(rule: RRuleT, fromF: number, toF: number): number[] | null {
  const o = rule.options;
  const g = rule.origOptions;
  if (g.bysetpos || g.byyearday || g.byweekno || g.byhour || g.byminute || g.bysecond || g.byeaster || g.bymonth) return null;
  const start = o.dtstart.getTime();
  const tod = ((start % DAY) + DAY) % DAY;
  const startDay = start - tod;
  const hi = Math.min(toF, o.until ? o.until.getTime() : Infinity);
  const count = o.count ?? Infinity;
  const seek = count === Infinity; // with COUNT every instance from DTSTART must be counted (cheap here)
  const out: number[] = [];
  let n = 0;
  // Returns false once the series is over.
  const emit = (t: number): boolean => {
    if (t < start) return true;
    if (t > hi || ++n > count) return false;
    if (t >= fromF) out.push(t);
    return true;
  };
  const iv = o.interval;
  if (!(iv >= 1)) return null;
  const wd = o.byweekday ?? [];
  const nwd = o.bynweekday ?? [];
  if (o.freq === 3 /* DAILY */) {
    if (nwd.length || g.bymonthday) return null;
    const step = iv * DAY;
    const k0 = seek ? Math.max(0, Math.floor((fromF - tod - startDay) / step)) : 0;
    for (let d = startDay + k0 * step; d + tod <= hi; d += step) {
      if (wd.length && !wd.includes(rrWday(d))) continue;
      if (!emit(d + tod)) break;
    }
    return out;
  }
  if (o.freq === 2 /* WEEKLY */) {
    if (nwd.length || g.bymonthday) return null;
    const ws0 = startDay - ((rrWday(startDay) - o.wkst + 7) % 7) * DAY;
    const step = 7 * iv * DAY;
    const k0 = seek ? Math.max(0, Math.floor((fromF - ws0) / step) - 1) : 0;
    outer: for (let ws = ws0 + k0 * step; ws + tod <= hi; ws += step) {
      for (let j = 0; j < 7; j++) {
        if (!wd.includes((o.wkst + j) % 7)) continue;
        if (!emit(ws + j * DAY + tod)) break outer;
      }
    }
    return out;
  }
  if (o.freq === 1 /* MONTHLY */) {
    const md = o.bymonthday ?? [];
    if (wd.length || (o.bynmonthday ?? []).length || (md.length > 0) === (nwd.length > 0)) return null;
    const s = new Date(startDay);
    const m0 = s.getUTCFullYear() * 12 + s.getUTCMonth();
    const f = new Date(Math.max(fromF, start));
    const k0 = seek ? Math.max(0, Math.floor((f.getUTCFullYear() * 12 + f.getUTCMonth() - m0) / iv) - 1) : 0;
    outer: for (let mi = m0 + k0 * iv; ; mi += iv) {
      const y = Math.floor(mi / 12), m = mi % 12;
      const first = Date.UTC(y, m, 1);
      if (first + tod > hi) break;
      const dim = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
      const days = md.length
        ? md.filter((d) => d <= dim)
        : nwd.map(([w, k]) => {
            const firstW = 1 + ((w - rrWday(first) + 7) % 7);
            const lastW = dim - ((rrWday(Date.UTC(y, m, dim)) - w + 7) % 7);
            const d = k > 0 ? firstW + (k - 1) * 7 : lastW + (k + 1) * 7;
            return d >= 1 && d <= dim ? d : 0;
          }).filter((d) => d > 0);
      for (const d of [...new Set(days)].sort((a, b) => a - b)) if (!emit(first + (d - 1) * DAY + tod)) break outer;
    }
    return out;
  }
  return null;
}
