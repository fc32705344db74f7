// What the web app is built from: the same config, clock, calendar, store and transport the CLI uses.
import type { Clock } from '../clock.ts';
import type { Config } from '../config/schema.ts';
import type { LoadedCalendar } from '../events/sources.ts';
import type { MailTransport } from '../mail/transport.ts';
import type { Store } from '../store/store.ts';

export interface WebDeps {
  config: Config;
  clock: Clock;
  /** Called by every request that shows events: the shared calendar in memory (an edited file shows on reload; feeds refresh on a timer, never per request). */
  loadEvents(): Promise<LoadedCalendar>;
  store: Store;
  /** The key for signed links and the admin cookie: store.meta.linkSecret(), read once when the app is built. */
  linkSecret: string;
  /** For confirmation mails and the organizer's test sends: the transport `send` would use. */
  transport: MailTransport;
  /** The file outbox's folder, when mail goes there (the admin mailbox view reads it). */
  outboxDir?: string;
  /** One line per noteworthy event (a mail that could not be sent, an unexpected error): subscriber ids, never addresses or tokens. */
  log?(line: string): void;
  /** Lines that may name an address (--verbose, DEBUG): which address an id above is. */
  debug?(line: string): void;
}
