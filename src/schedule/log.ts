// The daemon's log: one JSON line per event (pino), stamped by our clock so DIGEST_NOW replays read true.
import pino, { type Logger } from 'pino';
import type { Clock } from '../clock.ts';

export type { Logger };

/**
 * Lines carry subscriber ids, never addresses (those only at `debug`, which --verbose or DEBUG turns on), and no
 * token or secret: the redaction below is the last guard should a field by such a name ever be logged.
 */
export function jsonLogger(write: (line: string) => void, clock: Clock, level: 'info' | 'debug' = 'info'): Logger {
  return pino(
    {
      base: null,
      level,
      timestamp: () => `,"time":"${clock.now().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['token', 'secret', 'password', 'smtp', 'email', 'to', '*.token', '*.secret', '*.password', '*.email'], censor: '[redacted]' },
    },
    { write: (s: string) => write(s.replace(/\n$/, '')) },
  );
}
