// What is due now, decided from the clock and the database (node-cron only says "now"): send the
// latest scheduled issue within the grace period, resume unfinished ones, mail the review ahead.
import { DateTime } from 'luxon';
import { cutFindings, selectWindow } from '../calendar/select.ts';
import { correctionsTick } from '../changes/corrections-tick.ts';
import { windowFor, type Window } from '../calendar/window.ts';
import type { Clock } from '../clock.ts';
import { selectionPolicy, type Config } from '../config/schema.ts';
import { formatFinding, hasErrors } from '../events/finding.ts';
import type { LoadedCalendar } from '../events/sources.ts';
import { noticeMessage } from '../mail/notices.ts';
import { buildPreview, sampleReader } from '../mail/preview.ts';
import { issueNote, listSlug, sendIssue } from '../mail/send-issue.ts';
import type { MailTransport } from '../mail/transport.ts';
import type { Store } from '../store/store.ts';
import { applyRetention, pruneSummary } from '../privacy/retention.ts';
import { appUrl } from '../subscribers/links.ts';
import type { Logger } from './log.ts';
import { nextRun, previousRun } from './next-run.ts';
import { FINAL_STATES, type RunOutcome, type RunRecord } from './runs.ts';

export interface SchedulerDeps {
  config: Config;
  clock: Clock;
  store: Store;
  loadEvents(): Promise<LoadedCalendar>;
  transport: MailTransport;
  log: Logger;
  /** The file outbox's folder, whose old files `retention.outboxDays` removes. */
  outboxDir?: string;
}

const HOUR = 3600_000;

export class Scheduler {
  /** The list whose runs this scheduler keeps (store.schedule is keyed by it). */
  readonly list: string;
  private busy: Promise<void> | undefined;
  private stopReason: string | undefined;
  /** When this process last applied the retention (ms by the clock): once a day is enough. */
  private prunedAt = -Infinity;
  /** Whether this daemon led at its last pass (PostgreSQL, several daemons): logged when it changes. */
  private leading: boolean | undefined;

  constructor(private readonly deps: SchedulerDeps) {
    this.list = listSlug(deps.config);
  }

  /** The next scheduled time after now, in the list's zone. */
  nextRun(): DateTime | undefined {
    return nextRun(this.deps.config.schedule, this.deps.config.timezone, this.deps.clock.now());
  }

  /**
   * One pass over what is due. Passes never overlap in a process: a call while one runs waits for
   * it instead of starting another (the send lock keeps other processes apart).
   */
  reconcile(trigger: string): Promise<void> {
    this.busy ??= this.pass(trigger).finally(() => (this.busy = undefined));
    return this.busy;
  }

  /** Stops taking new messages; resolves once the messages in flight are done and recorded. */
  async stop(reason: string): Promise<void> {
    this.stopReason = reason;
    await this.busy;
  }

  private async pass(trigger: string): Promise<void> {
    if (this.stopReason) return;
    const { config, clock } = this.deps;
    try {
      if (!(await this.leads(trigger))) return;
      // Only the leader prunes: the retention is the list's, not each daemon's.
      await this.retention();
      await this.review();
      const now = clock.now();
      const due = new Map<string, DateTime>();
      const latest = previousRun(config.schedule, config.timezone, now);
      // Earlier runs not finished yet (deferred, held, refused) come first, then the latest.
      for (const r of (await this.deps.store.schedule.latestRuns(this.list, 10)).reverse()) {
        if (!FINAL_STATES.includes(r.state)) due.set(r.scheduledFor, DateTime.fromISO(r.scheduledFor, { zone: config.timezone }));
      }
      if (latest) due.set(latest.toUTC().toISO()!, latest);
      for (const at of due.values()) {
        if (this.stopReason) return;
        await this.handle(at, trigger);
      }
      if (!this.stopReason) await correctionsTick({ ...this.deps, list: this.list, stopRequested: () => this.stopReason });
    } catch (e) {
      this.deps.log.error({ event: 'pass.failed', trigger, error: (e as Error).message }, 'the scheduler pass failed; the next one tries again');
    }
  }

  /**
   * Several daemons on one PostgreSQL: only the leader runs passes; the others stand by and try again at each
   * pass (every minute), so a leader that dies is replaced within one. Alone (SQLite), a daemon always leads.
   */
  private async leads(trigger: string): Promise<boolean> {
    const leadership = this.deps.store.leadership;
    if (!leadership) return true;
    const leading = await leadership.lead(`schedule:${this.list}`);
    if (leading !== this.leading) {
      const { log } = this.deps;
      if (leading) log.info({ event: 'leader.acquired', trigger }, 'this daemon leads: it runs the schedule');
      else log.info({ event: 'leader.standby', trigger }, 'another daemon leads; standing by (tried again every pass)');
      this.leading = leading;
    }
    return leading;
  }

  private async handle(at: DateTime, trigger: string): Promise<void> {
    const { config, clock, log } = this.deps;
    const scheduledFor = at.toUTC().toISO()!;
    const windowStart = at.setZone(config.timezone).toISODate()!;
    const win = windowFor(windowStart, config.weeks, config.timezone);
    const rec = await this.deps.store.schedule.run(this.list, scheduledFor);
    const record = (o: RunOutcome) => this.deps.store.schedule.recordRun(this.list, scheduledFor, windowStart, o);
    if (rec && FINAL_STATES.includes(rec.state)) return;
    const now = clock.now().getTime();
    const late = now - at.toMillis();
    const ctx = { scheduledFor, issue: windowStart, trigger };
    const graceMs = config.scheduler.graceHours * HOUR;
    // A new install did not miss the slots before its database existed: past the grace period, they are not its to report.
    if (!rec && late > graceMs && at.toMillis() < Date.parse(await this.deps.store.meta.createdAt())) return;

    if (now >= win.endMs) {
      await record({ state: rec ? 'expired' : 'missed', detail: 'its window ended before it could be sent' });
      log.warn({ event: 'run.expired', ...ctx }, `the ${windowStart} issue's window has ended; it will not be sent`);
      return;
    }
    // Past the grace period, a run that never began (or never got past the calendar check) is missed;
    // one that began is finished, so nobody gets half an issue.
    if (late > graceMs && (!rec || rec.state === 'refused') && !(await this.issueStarted(windowStart))) {
      const detail = `${(late / HOUR).toFixed(1)} h after its time, past the ${config.scheduler.graceHours} h grace period${rec ? ` (${rec.detail})` : ''}`;
      await record({ state: 'missed', detail });
      log.warn({ event: 'run.missed', ...ctx, lateHours: +(late / HOUR).toFixed(2) }, `missed the ${windowStart} issue: ${detail}`);
      return;
    }
    if (await this.deps.store.schedule.isHeld(this.list, windowStart)) {
      if (rec?.state !== 'held') {
        await record({ state: 'held', detail: `held; event-digest release ${windowStart} lets it go` });
        log.info({ event: 'run.held', ...ctx }, `the ${windowStart} issue is held`);
      }
      return;
    }
    // Deferred messages and a refused calendar are retried after a pause; a run stopped by a signal resumes at once.
    const stopped = rec?.detail?.startsWith('stopped') ?? false;
    if (rec && (rec.state === 'incomplete' || rec.state === 'refused') && !stopped && trigger !== 'start' && now - Date.parse(rec.updatedAt) < config.scheduler.retryMinutes * 60_000) return;
    await this.send(windowStart, win, ctx, rec, record);
  }

  private async issueStarted(windowStart: string): Promise<boolean> {
    const issue = await this.deps.store.issues.find(this.list, windowStart);
    if (!issue) return false;
    const c = await this.deps.store.deliveries.counts(issue.id);
    return c.sent + c.failed + c.skipped + c.deferred + c.sending > 0;
  }

  private async send(windowStart: string, win: Window, ctx: Record<string, string>, rec: RunRecord | undefined, record: (o: RunOutcome) => Promise<RunRecord>): Promise<void> {
    const { config, clock, store, log } = this.deps;
    const loaded = await this.deps.loadEvents();
    if (hasErrors(loaded.findings)) {
      const errors = loaded.findings.filter((f) => f.severity === 'error');
      const detail = `check found ${errors.length} error${errors.length === 1 ? '' : 's'}; first: ${formatFinding(errors[0])}`;
      await record({ state: 'refused', detail });
      log.error({ event: 'run.refused', ...ctx, errors: errors.map(formatFinding) }, `not sending the ${windowStart} issue: ${detail}`);
      return;
    }
    const selection = selectWindow(loaded.calendar.events, win, selectionPolicy(config));
    log.info({ event: 'run.start', ...ctx, attempt: (rec?.attempts ?? 0) + 1 }, `sending the ${windowStart} issue`);
    const note = await issueNote(config, store, windowStart);
    const warn = (message: string) => log.warn({ event: 'run.clipped', ...ctx }, message);
    const result = await sendIssue({ config, calendar: loaded.calendar, selection, store, transport: this.deps.transport, clock, note, warn }, { stopRequested: () => this.stopReason });
    if (result.kind === 'quiet') {
      await record({ state: 'quiet', detail: `nothing scheduled for ${result.windowLabel}` });
      log.info({ event: 'run.quiet', ...ctx }, `nothing is scheduled for ${result.windowLabel}: no issue`);
      return;
    }
    if (result.kind === 'locked') {
      log.info({ event: 'run.locked', ...ctx, holder: result.heldBy.holder }, `the ${windowStart} issue is being sent by ${result.heldBy.holder}`);
      return;
    }
    const { run, totals } = result;
    const unfinished = totals.queued + totals.sending + totals.deferred;
    const state = run.stopped || unfinished > 0 ? 'incomplete' : 'sent';
    const detail = run.stopped ? `stopped: ${run.stopped}` : unfinished > 0 ? `${unfinished} not delivered yet; retried in ${config.scheduler.retryMinutes} min` : null;
    await record({ state, detail, counts: run.counts, attempted: true });
    log[state === 'sent' ? 'info' : 'warn'](
      { event: state === 'sent' ? 'run.sent' : 'run.incomplete', ...ctx, issueId: result.issue.id, ...run.counts, ledger: totals },
      `the ${windowStart} issue: sent ${run.counts.sent}, skipped ${run.counts.skipped}, failed ${run.counts.failed}, deferred ${run.counts.deferred}${detail ? ` (${detail})` : ''}`,
    );
  }

  /** Config `retention`, at the first pass and then daily: what `event-digest prune` does. */
  private async retention(): Promise<void> {
    const { config, clock, store, log } = this.deps;
    const now = clock.now();
    if (now.getTime() - this.prunedAt < 24 * HOUR) return;
    this.prunedAt = now.getTime();
    const o = await applyRetention(store, config.retention, this.deps.outboxDir, now);
    if (o.ledgerRows || o.outboxFiles) log.info({ event: 'retention.pruned', ...o }, pruneSummary(o, config.retention));
  }

  /** With `scheduler.review`, mails the organizers a preview link before the next run (once, whoever claims it). */
  private async review(): Promise<void> {
    const { config, clock, log } = this.deps;
    const review = config.scheduler.review;
    if (!review) return;
    const next = this.nextRun();
    if (!next || clock.now().getTime() < next.toMillis() - review.hoursBefore * HOUR) return;
    const scheduledFor = next.toUTC().toISO()!;
    const windowStart = next.setZone(config.timezone).toISODate()!;
    const schedule = this.deps.store.schedule;
    if ((await schedule.reviewSentAt(this.list, scheduledFor)) || !(await schedule.claimReview(this.list, scheduledFor))) return;
    try {
      const loaded = await this.deps.loadEvents();
      // The list's default reader, as the archive shows it: its subject, and whether Gmail would clip it.
      const preview = await buildPreview({ config, calendar: loaded.calendar, clock, asOf: windowStart, reader: sampleReader(config, { zone: config.timezone, kinds: [] }), note: await issueNote(config, this.deps.store, windowStart) });
      const subject = preview.subject;
      const when = next.setZone(config.timezone).toFormat("cccc d LLLL 'at' HH:mm ZZZZ");
      const problems = hasErrors(loaded.findings) ? ' The calendar has errors right now: as it stands the issue would not be sent.' : '';
      const clipped = preview.clipped ? ` Warning: ${preview.clipped}.` : '';
      const missing = [...loaded.findings.filter((f) => f.skipped || f.sourceFailed), ...cutFindings(preview.selection)].map(formatFinding);
      for (const to of review.to) {
        const m = await noticeMessage(
          config,
          {
            to: { address: to },
            subject: `[Review] ${subject}`,
            paragraphs: [
              `The ${windowStart} issue of ${config.listName} goes out ${when}.${problems}${clipped}`,
              ...(missing.length > 0 ? [`Left out of it or late (events a feed has that cannot be read, optional feeds that failed, occurrences past the cap):
${listed(missing)}`] : []),
              `To stop it going out: event-digest hold ${windowStart}. To let it go again: event-digest release ${windowStart}.`,
              'Preview it, as each reader will get it:',
            ],
            action: { label: 'Preview the issue', url: appUrl(config.baseUrl, `admin?date=${windowStart}`) },
          },
          clock.now(),
        );
        await this.deps.transport.send({ ...m, issueKey: 'reviews' });
      }
      log.info({ event: 'review.sent', scheduledFor, issue: windowStart, recipients: review.to.length }, `review mail for the ${windowStart} issue sent`);
      log.debug({ event: 'review.recipients', scheduledFor, recipients: review.to }, `review mail to ${review.to.join(', ')}`);
    } catch (e) {
      await schedule.unclaimReview(this.list, scheduledFor);
      log.error({ event: 'review.failed', scheduledFor, issue: windowStart, error: (e as Error).message }, 'the review mail could not be sent; the next pass tries again');
    }
  }
}

/** Up to 20 finding lines, then how many more: a review mail stays readable whatever a feed holds. */
function listed(lines: string[]): string {
  const shown = lines.slice(0, 20).map((l) => `- ${l}`);
  if (lines.length > 20) shown.push(`- and ${lines.length - 20} more (see the checks on the preview page)`);
  return shown.join('\n');
}
