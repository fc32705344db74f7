// The few English date and time formats of the "when" lines, written out: luxon's en-US output for the same
// tokens, without a DateTime per value (a big digest's "save the date" list made thousands, most of its "when" time).
import { DateTime } from 'luxon';
import { offsetAt } from '../calendar/wall-time.ts';

/** Local fields of an instant in a zone, or of a date. `weekday` is luxon's: 1 Monday … 7 Sunday. */
export interface Local {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  /** Minutes east of UTC (0 for a date). */
  offset: number;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const WEEKDAYS_LONG = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function fromUtcFields(d: Date, offset: number): Local {
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() || 7, hour: d.getUTCHours(), minute: d.getUTCMinutes(), offset };
}

/** The instant's local fields in the zone, at the offset the zone has then (cached: wall-time.ts), as luxon computes them in a fixed zone. */
export function localAt(ms: number, zone: string): Local {
  const offset = offsetAt(ms, zone);
  return fromUtcFields(new Date(ms + offset * 60 * 1000), offset);
}

/** A date (`YYYY-MM-DD`); anything else ISO is read by luxon, as before. */
export function localDate(d: string): Local {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  const utc = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : undefined;
  if (utc && utc.getUTCMonth() === +m![2] - 1 && utc.getUTCDate() === +m![3] && +m![1] >= 100) return fromUtcFields(utc, 0);
  const dt = DateTime.fromISO(d, { zone: 'UTC' });
  return { year: dt.year, month: dt.month, day: dt.day, weekday: dt.weekday, hour: dt.hour, minute: dt.minute, offset: 0 };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** 'a': "AM" or "PM". */
export const meridiem = (l: Local) => (l.hour < 12 ? 'AM' : 'PM');
/** 'h:mm': "2:05". */
export const clock = (l: Local) => `${l.hour % 12 || 12}:${pad(l.minute, 2)}`;
/** 'h:mm a': "2:05 PM". */
export const time = (l: Local) => `${clock(l)} ${meridiem(l)}`;
/** 'ccc': "Tue"; 'cccc': "Tuesday". */
export const weekday = (l: Local) => WEEKDAYS[l.weekday - 1];
export const weekdayLong = (l: Local) => WEEKDAYS_LONG[l.weekday - 1];
/** 'LLL': "Dec". */
export const month = (l: Local) => MONTHS[l.month - 1];
/** 'LLL d': "Dec 6". */
export const monthDay = (l: Local) => `${month(l)} ${l.day}`;
/** 'ccc, LLL d': "Tue, Dec 6". */
export const weekdayDate = (l: Local) => `${weekday(l)}, ${monthDay(l)}`;
/** 'yyyy': "2016". */
export const fullYear = (l: Local) => pad(l.year, 4);
/** The same local day. */
export const sameDay = (a: Local, b: Local) => a.year === b.year && a.month === b.month && a.day === b.day;
