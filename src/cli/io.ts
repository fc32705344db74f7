// The streams and environment a command runs with: passed in, so tests run commands in-process.
export interface Io {
  cwd: string;
  env: Record<string, string | undefined>;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stdout is a terminal (bars and colour only then, and never with NO_COLOR). */
  isTty: boolean;
}
