// The streams and environment a command runs with: passed in, so tests run commands in-process.
import type { Progress } from './progress.ts';

export interface Io {
  cwd: string;
  env: Record<string, string | undefined>;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stdout is a terminal (bars and colour only then, and never with NO_COLOR). */
  isTty: boolean;
  /** Where a send's progress goes instead of a reporter of its own (a worker relays it to the main thread's). */
  progress?: () => Progress;
}
