// One small error module: errors that cross a boundary carry a code; only the CLI maps them to exits.

export type ErrorCode =
  | 'USAGE' // bad command-line usage
  | 'CONFIG' // bad configuration file or environment
  | 'EVENTS_INVALID' // event sources have errors
  | 'SOURCE_UNREADABLE' // a source could not be read or fetched
  | 'NOT_FOUND'
  | 'RENDER' // a template that does not compile
  | 'SUPPRESSED' // an unsubscribed, bounced or complained address that was not explicitly reactivated
  | 'IMPORT_INVALID' // an import file unusable as a whole (not CSV, no email column)
  | 'LOCKED' // another sender holds the send lock
  | 'HELD' // an organizer held the issue (event-digest hold)
  | 'UNKNOWN_PLACE' // a place the gazetteer does not know (a reader's location, --near)
  | 'DATABASE'; // the database server was lost and could not be reached again in time (PostgreSQL)

export class DigestError extends Error {
  readonly code: ErrorCode;
  /** Extra lines printed before the one-line message (e.g. every finding). */
  readonly details: string[];

  constructor(code: ErrorCode, message: string, details: string[] = []) {
    super(message);
    this.name = 'DigestError';
    this.code = code;
    this.details = details;
  }
}

/** Exit status for an error code, as the interface contract says: 2 for usage and configuration, 1 otherwise. */
export function exitCodeFor(code: ErrorCode | undefined): number {
  return code === 'USAGE' || code === 'CONFIG' || code === 'LOCKED' || code === 'HELD' || code === 'UNKNOWN_PLACE' ? 2 : 1;
}
