// The file outbox: one .eml per message under DIR/ISSUE/, written whole (temp file, then rename), owner-only.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MailTransport, OutgoingMessage } from '../transport.ts';

export function fileName(messageId: string): string {
  return `${messageId.replace(/[^A-Za-z0-9._@-]+/g, '_')}.eml`;
}

export function outboxTransport(dir: string): MailTransport {
  return {
    name: `outbox ${dir}`,
    concurrency: 4,
    async send(m: OutgoingMessage) {
      const folder = join(dir, m.issueKey);
      // Names, addresses and live unsubscribe links: folders 0700 and files 0600 whatever the umask (which can only take bits away).
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      const path = join(folder, fileName(m.messageId));
      // A crash never leaves a half-written .eml where a reader of the outbox would take it as sent.
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, m.raw, { mode: 0o600 });
      renameSync(tmp, path);
      return { response: `250 2.0.0 written ${path}` };
    },
    async close() {},
  };
}
