// What a validation rule is: a pure check of one event that returns located problems.
import type { CalendarEvent } from '../model.ts';
import type { Severity } from '../finding.ts';

export interface RuleContext {
  kinds: readonly string[];
  /** "Now", for the rule about events in the past. */
  nowMs: number;
}

export interface RuleFinding {
  /** Field path inside the event, located through the event's source. */
  path: (string | number)[];
  severity: Severity;
  message: string;
  /** Set when the finding is about an override: located through it. */
  override?: number;
}

export interface Rule {
  name: string;
  check(event: CalendarEvent, ctx: RuleContext): RuleFinding[];
}
