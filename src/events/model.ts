// The Event model every source (YAML, JSON, iCalendar) loads into, and the calendar meta around it.

/** `YYYY-MM-DD`. */
export type LocalDate = string;
/** `YYYY-MM-DDTHH:mm:ss`, a wall-clock time in the event's zone. */
export type LocalDateTime = string;

export type EventStatus = 'confirmed' | 'tentative' | 'cancelled';

export interface Link {
  label: string;
  /** Empty when the calendar names a link but not its address. */
  url: string;
  /** Only in mail to confirmed subscribers (a sign-up sheet for an action): never on the public pages and feeds. */
  private?: boolean;
}

export interface Location {
  venue?: string;
  address?: string;
  city?: string;
  region?: string;
  country?: string;
  /** An online event: shown in the reader's zone. */
  online?: boolean;
  /** Where to join an online event. */
  url?: string;
  /** The venue, street and join link only in mail to confirmed subscribers; the public sees city and region (ICS CLASS:PRIVATE). */
  private?: boolean;
  /** This is the public view of a private location: the rest was taken out (private-details.ts), and readers are told where it is. */
  withheld?: boolean;
  /** Where the place is (YAML/JSON `location.geo`, ICS GEO): the readers' distances start here. */
  geo?: GeoPoint;
}

export interface GeoPoint {
  lat: number;
  lon: number;
}

/** `local` (the default): listed to readers within their radius; `national`: to every reader, wherever they are. */
export type EventScope = 'local' | 'national';

export interface Recurrence {
  /** An RFC 5545 RRULE value, without the `RRULE:` prefix. */
  rrule?: string;
  /** Excluded instances: dates for all-day events, wall times in the event's zone otherwise. */
  exdates: string[];
  /** Extra instances, same form as exdates; `START/END` for one with its own length (an RDATE;VALUE=PERIOD). */
  rdates: string[];
}

/** Replaces one instance of a recurring event (RFC 5545 RECURRENCE-ID). */
export interface Override {
  /** The instance it replaces: a date (all-day) or a wall time in the event's zone. */
  recurrenceId: string;
  title?: string;
  start?: string;
  end?: string;
  status?: EventStatus;
  location?: Location;
  description?: string;
  links?: Link[];
  /** Locates the override's own fields in its source. */
  locate?: Locator;
}

/** Maps a field path inside an event (e.g. ['links', 0, 'url']) to a line and column of its source. */
export type Locator = (path: readonly (string | number)[]) => { line: number; col: number };

export interface EventSource {
  /** The file path or URL the event came from, as findings print it. */
  path: string;
  /** iCalendar UID, when it came from an .ics. */
  uid?: string;
  locate: Locator;
}

export interface CalendarEvent {
  id: string;
  title: string;
  kind: string;
  allDay: boolean;
  /** All-day: a LocalDate; timed: a LocalDateTime in `timezone`. */
  start: string;
  /** All-day: the last day, inclusive; timed: a LocalDateTime in `timezone` (equal to start when none was given). */
  end: string;
  /** IANA zone. Floating times take the list's zone. */
  timezone: string;
  recurrence?: Recurrence;
  overrides: Override[];
  location?: Location;
  links: Link[];
  /** Markdown. */
  description?: string;
  organizer?: string;
  tags: string[];
  status: EventStatus;
  /** true: always in "save the date" when ahead; false: never; unset: by the configured kinds and horizon. */
  saveTheDate?: boolean;
  /** Shown first in the digest, larger. */
  featured?: boolean;
  /** 'span': a recurring event listed once, from its first to its last session (a campaign with sessions). */
  listAs: 'occurrences' | 'span';
  /** Unset means local. */
  scope?: EventScope;
  source: EventSource;
}

export interface AlliedCalendar {
  name: string;
  label?: string;
  url: string;
}

/** Everything the sources gave: events, the allied calendars for the footer. */
export interface Calendar {
  events: CalendarEvent[];
  alliedCalendars: AlliedCalendar[];
}
