// The daemon's log: one JSON line per event (pino), stamped by our clock so DIGEST_NOW replays read true.
import pino, { type Logger } from 'pino';
import type { Clock } from '../clock.ts';

export type { Logger };

export function jsonLogger(write: (line: string) => void, clock: Clock): Logger {
  return pino(
    { base: null, timestamp: () => `,"time":"${clock.now().toISOString()}"`, formatters: { level: (label) => ({ level: label }) } },
    { write: (s: string) => write(s.replace(/\n$/, '')) },
  );
}
