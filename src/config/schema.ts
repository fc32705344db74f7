// The configuration's shape, defaults and the environment variable of each key.
import { z } from 'zod';
import type { SelectionPolicy } from '../calendar/select.ts';
import { isIanaZone } from '../calendar/iana-zones.ts';
import { contrastRatio, HEX_COLOR, MIN_CONTRAST } from '../render/contrast.ts';

const MB20 = 20 * 1024 * 1024;

const zone = z.string().refine(isIanaZone, { message: 'is not a known IANA time zone' });

/** SMTP_URL is checked when it is read, not at the first send; the URL is never echoed (it may hold a password). */
function smtpUrlProblem(value: string, ctx: z.RefinementCtx): void {
  const expected = 'smtp://user:pass@host:port, or smtps://… for implicit TLS';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `is not a URL (expected ${expected})` });
    return;
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') ctx.addIssue({ code: 'custom', message: `'${url.protocol}' is not a mail server scheme (expected ${expected})` });
  else if (url.hostname === '') ctx.addIssue({ code: 'custom', message: `names no host (expected ${expected})` });
}

/**
 * One event source: a path or URL as text, or an object naming it with its own settings. `skip`
 * lists an event that cannot be read as a warning and leaves it out; `refuse` makes it an error,
 * which stops every command that uses events.
 */
const eventSource = z.union([
  z.string().min(1),
  z
    .object({
      path: z.string().min(1).optional(),
      url: z.string().regex(/^https?:\/\//i, 'must be an http(s) URL').optional(),
      onInvalidEvent: z.enum(['refuse', 'skip']).optional(),
      // An ally's calendar: when it fails, the digest goes out with its last good copy (if younger than maxStaleHours) or without it.
      optional: z.boolean().optional(),
      maxStaleHours: z.number().min(0).max(24 * 365).optional(),
    })
    .strict()
    .refine((s) => (s.path === undefined) !== (s.url === undefined), { message: 'give exactly one of path and url' }),
], { error: 'expected a path or URL, or {path: …} / {url: …} with onInvalidEvent: refuse or skip, optional, maxStaleHours' });

export type EventSourceConfig = z.infer<typeof eventSource>;

export const configSchema = z
  .object({
    events: z.array(eventSource).min(1).default(['data/events.yaml']),
    timezone: zone.default('America/New_York'),
    // Feeds (extensions): where their last good copies are kept, and whether a redirect may reach a LAN address.
    feedDir: z.string().min(1).default('var/feeds'),
    allowPrivateFeeds: z.boolean().default(false),
    weeks: z.number().int().min(1).max(52).default(3),
    // Extension: occurrences of one event listed per window, at most (a rule that repeats every minute lists the first).
    maxInstancesPerEvent: z.number().int().min(1).max(100_000).default(500),
    db: z.string().min(1).default('var/event-digest.db'),
    // PostgreSQL: how long a lost connection is tried again (a server restart) before the command gives up.
    dbRetrySeconds: z.number().int().min(0).max(3600).default(30),
    outbox: z.string().min(1).default('var/outbox'),
    smtp: z.string().superRefine(smtpUrlProblem).optional(),
    from: z.string().min(1).default('Event Digest <digest@localhost>'),
    baseUrl: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//i.test(u), { message: 'must be an http:// or https:// URL' })
      .default('http://127.0.0.1:3000'),
    secret: z.string().min(16).optional(),
    schedule: z.string().min(1).default('0 8 * * 1'),
    // The organizer pages' bearer token (extension; unset: /admin answers on loopback only).
    adminToken: z.string().min(16, 'must be at least 16 characters').optional(),
    // Extensions to the contract's table (documented in the README).
    kinds: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'kinds are lower-case words')).min(1).default(['action', 'webinar', 'conference']),
    defaultKind: z.string().default('action'),
    saveTheDate: z
      .object({
        kinds: z.array(z.string()).default(['conference']),
        months: z.number().int().min(0).max(36).default(6),
      })
      .strict()
      .default({ kinds: ['conference'], months: 6 }),
    // The digest's words (extensions, documented in the README).
    listName: z.string().min(1).default('Event Digest'),
    intro: z.string().default('Here is what is coming up in the next weeks. Pick what you can join, and bring a friend.'),
    postalAddress: z.string().default(''),
    subject: z.string().min(1).default('{{highlights}} ({{period}})'),
    whyText: z.string().default('You receive this because you subscribed to {{listName}}.'),
    quietWeek: z.enum(['skip', 'note']).default('skip'),
    // Entries per kind before "N more … in the full list" (featured entries are not counted).
    maxPerSection: z.number().int().min(1).max(500).default(10),
    // Events near each reader (src/places): a reader's radius when they name none, and the unit of distances.
    radius: z.number().int().min(1).max(20000).default(50),
    distanceUnit: z.enum(['mi', 'km']).default('mi'),
    // The organizer's look: a logo (https, with alt text) and a colour for buttons and rules.
    brand: z
      .object({
        logo: z.string().url().refine((u) => u.startsWith('https://'), { message: 'must be an https URL' }).optional(),
        logoAlt: z.string().min(1).optional(),
        color: z
          .string()
          .regex(HEX_COLOR, 'must be a hex colour (#rgb or #rrggbb)')
          .superRefine((c, ctx) => {
            const ratio = contrastRatio(c, '#ffffff');
            if (ratio < MIN_CONTRAST) ctx.addIssue({ code: 'custom', message: `'${c}' has a contrast of ${ratio.toFixed(2)}:1 against white, under ${MIN_CONTRAST}:1: white button text on it would be hard to read` });
          })
          .default('#0b57d0'),
      })
      .strict()
      .refine((b) => b.logo === undefined || b.logoAlt !== undefined, { message: 'a logo needs alt text', path: ['logoAlt'] })
      .default({ color: '#0b57d0' }),
    // Where replies go (Reply-To), when not to the From address.
    replyTo: z.string().min(3).optional(),
    // Delivery (extensions, documented in the README).
    sending: z
      .object({
        connections: z.number().int().min(1).max(50).default(5),
        perSecond: z.number().min(0).default(0),
        retries: z.number().int().min(0).max(10).default(3),
        backoffMs: z.number().int().min(0).default(2000),
        stopAfterFailures: z.number().int().min(1).default(25),
        lockStaleSeconds: z.number().int().min(5).default(120),
        // PostgreSQL, several senders: how long a sender's claim on a batch lasts without its heartbeat, and the batch size.
        leaseSeconds: z.number().int().min(1).max(3600).default(60),
        claimBatch: z.number().int().min(1).max(10_000).default(100),
      })
      .strict()
      .default({ connections: 5, perSecond: 0, retries: 3, backoffMs: 2000, stopAfterFailures: 25, lockStaleSeconds: 120, leaseSeconds: 60, claimBatch: 100 }),
    // How long personal data is kept, in days (null: kept); `prune` applies it, the daemon daily (README, Privacy).
    retention: z
      .object({
        ledgerDays: z.number().int().min(1).nullable().default(365),
        outboxDays: z.number().int().min(1).nullable().default(30),
      })
      .strict()
      .default({ ledgerDays: 365, outboxDays: 30 }),
    // Corrections after an issue went out (extension, issue 12): review mails the organizers what is pending, auto sends it, off neither.
    corrections: z.enum(['review', 'auto', 'off']).default('review'),
    // The daemon (extension, documented in the README).
    scheduler: z
      .object({
        graceHours: z.number().min(0).max(24 * 7).default(12),
        retryMinutes: z.number().min(1).max(24 * 60).default(15),
        review: z
          .object({
            hoursBefore: z.number().min(0.25).max(24 * 6),
            to: z.array(z.string().min(3)).min(1),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({ graceHours: 12, retryMinutes: 15 }),
    // The web app's limits (extension, documented in the README's security section).
    limits: z
      .object({
        formPosts: z.number().int().min(1).default(20),
        loginAttempts: z.number().int().min(1).default(10),
        oneClickPosts: z.number().int().min(1).default(300),
        windowMinutes: z.number().min(1).max(24 * 60).default(10),
        mailsPerAddressPerHour: z.number().int().min(1).default(2),
        adminSessionHours: z.number().min(0.25).max(24 * 30).default(12),
        // What a feed or an events file may cost (issue 20): time, bytes, redirects, and how often the web app reloads.
        feedTimeoutSeconds: z.number().min(0.01).max(600).default(20),
        feedMaxBytes: z.number().int().min(1).default(MB20),
        feedMaxRedirects: z.number().int().min(0).max(20).default(5),
        eventsFileMaxBytes: z.number().int().min(1).default(MB20),
        calendarRefreshMinutes: z.number().min(0.1).max(24 * 60).default(5),
      })
      .strict()
      .default({
        formPosts: 20, loginAttempts: 10, oneClickPosts: 300, windowMinutes: 10, mailsPerAddressPerHour: 2, adminSessionHours: 12,
        feedTimeoutSeconds: 20, feedMaxBytes: MB20, feedMaxRedirects: 5, eventsFileMaxBytes: MB20, calendarRefreshMinutes: 5,
      }),
    dkim: z.object({ domain: z.string().min(1), selector: z.string().min(1), privateKey: z.string().min(1) }).strict().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!c.kinds.includes(c.defaultKind)) {
      ctx.addIssue({ code: 'custom', path: ['defaultKind'], message: `'${c.defaultKind}' is not one of kinds` });
    }
  });

export type Config = z.infer<typeof configSchema>;

/** What selecting a digest's window takes from the configuration. */
export function selectionPolicy(config: Config): SelectionPolicy {
  return { ...config.saveTheDate, maxInstancesPerEvent: config.maxInstancesPerEvent };
}

type EnvKind = 'string' | 'list' | 'int' | 'bool' | 'days';

/** Each key's environment variable, and how its text becomes a value; `sub` names a key inside an object key. */
export const envVars: Record<string, { key: keyof Config; kind: EnvKind; sub?: string }> = {
  DIGEST_EVENTS: { key: 'events', kind: 'list' },
  DIGEST_TZ: { key: 'timezone', kind: 'string' },
  DIGEST_WEEKS: { key: 'weeks', kind: 'int' },
  DIGEST_MAX_INSTANCES: { key: 'maxInstancesPerEvent', kind: 'int' },
  DIGEST_DB: { key: 'db', kind: 'string' },
  DIGEST_DB_RETRY_SECONDS: { key: 'dbRetrySeconds', kind: 'int' },
  DIGEST_OUTBOX: { key: 'outbox', kind: 'string' },
  SMTP_URL: { key: 'smtp', kind: 'string' },
  DIGEST_FROM: { key: 'from', kind: 'string' },
  DIGEST_BASE_URL: { key: 'baseUrl', kind: 'string' },
  DIGEST_SECRET: { key: 'secret', kind: 'string' },
  DIGEST_SCHEDULE: { key: 'schedule', kind: 'string' },
  DIGEST_ADMIN_TOKEN: { key: 'adminToken', kind: 'string' },
  DIGEST_KINDS: { key: 'kinds', kind: 'list' },
  DIGEST_DEFAULT_KIND: { key: 'defaultKind', kind: 'string' },
  DIGEST_LIST_NAME: { key: 'listName', kind: 'string' },
  DIGEST_POSTAL_ADDRESS: { key: 'postalAddress', kind: 'string' },
  DIGEST_MAX_PER_SECTION: { key: 'maxPerSection', kind: 'int' },
  DIGEST_RADIUS: { key: 'radius', kind: 'int' },
  DIGEST_DISTANCE_UNIT: { key: 'distanceUnit', kind: 'string' },
  DIGEST_REPLY_TO: { key: 'replyTo', kind: 'string' },
  DIGEST_FEED_DIR: { key: 'feedDir', kind: 'string' },
  DIGEST_ALLOW_PRIVATE_FEEDS: { key: 'allowPrivateFeeds', kind: 'bool' },
  DIGEST_RETENTION_LEDGER_DAYS: { key: 'retention', sub: 'ledgerDays', kind: 'days' },
  DIGEST_RETENTION_OUTBOX_DAYS: { key: 'retention', sub: 'outboxDays', kind: 'days' },
  DIGEST_CORRECTIONS: { key: 'corrections', kind: 'string' },
  DIGEST_SEND_LEASE_SECONDS: { key: 'sending', sub: 'leaseSeconds', kind: 'int' },
  DIGEST_SEND_CLAIM_BATCH: { key: 'sending', sub: 'claimBatch', kind: 'int' },
};

export function parseEnvValue(kind: EnvKind, text: string): unknown {
  if (kind === 'list') return text.split(',').map((s) => s.trim()).filter(Boolean);
  if (kind === 'bool' && /^(true|false|1|0)$/i.test(text.trim())) return /^(true|1)$/i.test(text.trim());
  if (kind === 'int' || kind === 'days') {
    // A number of days, or `null` (`keep`): kept for good.
    if (kind === 'days' && /^(null|keep)$/i.test(text.trim())) return null;
    return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
  }
  return text;
}
