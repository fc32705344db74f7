// The daemon's life: a pass at start (catch-up), node-cron at each scheduled time, a pass every
// minute (sleeps, retries, holds released), and a graceful stop.
import cron from 'node-cron';
import { Scheduler, type SchedulerDeps } from './scheduler.ts';

export interface DaemonOptions {
  /** Resolves with a reason (a signal's name) when the daemon should stop. */
  stop: Promise<string>;
  /** How often the catch-up pass runs besides the cron times. */
  tickMs?: number;
}

export async function runDaemon(deps: SchedulerDeps, opts: DaemonOptions): Promise<void> {
  const { config, log } = deps;
  const scheduler = new Scheduler(deps);
  const next = scheduler.nextRun();
  log.info(
    { event: 'daemon.start', pid: process.pid, schedule: config.schedule, timezone: config.timezone, nextRun: next?.toISO() ?? null, graceHours: config.scheduler.graceHours },
    `scheduler started; next run ${next?.toISO() ?? 'never'}`,
  );
  const task = cron.schedule(config.schedule, () => scheduler.reconcile('cron'), { timezone: config.timezone, noOverlap: true, name: 'event-digest' });
  task.on('execution:missed', () => {
    log.warn({ event: 'cron.missed' }, 'node-cron missed a time (the machine slept or was busy); the catch-up pass covers it');
    void scheduler.reconcile('missed');
  });
  const tick = setInterval(() => void scheduler.reconcile('tick'), opts.tickMs ?? 60_000);
  // A stop asked for during a pass (the start one included) takes effect at once: no new messages.
  void scheduler.reconcile('start');
  const reason = await opts.stop;
  log.info({ event: 'daemon.stopping', reason }, `${reason}: finishing the messages in flight`);
  clearInterval(tick);
  await task.stop();
  await task.destroy();
  await scheduler.stop(`stopped by ${reason}`);
  log.info({ event: 'daemon.stopped', reason }, 'stopped; a restart resumes anything unfinished');
}
