// A validation finding is data: where, how bad, what. The caller decides whether it is fatal.

export type Severity = 'error' | 'warning';

export interface Finding {
  path: string;
  line: number;
  col: number;
  severity: Severity;
  message: string;
  /**
   * An error that spoils one event only (a date that does not read, an end before the start): a
   * source whose `onInvalidEvent` is `skip` lists it as a warning and leaves the event out.
   */
  eventOnly?: boolean;
  /** That error, from a source that skips: the event is left out and this is a warning. */
  skipped?: boolean;
  /** An optional source that failed: the digest goes out with its last good copy or without it (the review mail lists it). */
  sourceFailed?: boolean;
}

/** `PATH:LINE:COL: error|warning: MESSAGE`, the contract's line format. */
export function formatFinding(f: Finding): string {
  return `${f.path}:${f.line}:${f.col}: ${f.severity}: ${f.message}`;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.col - b.col);
}
