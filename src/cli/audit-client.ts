// Who ran a command, as the audit trail records it: the account and the machine, as an organizer would recognise them.
import { hostname, userInfo } from 'node:os';

export function cliClient(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (a container): the machine still says where
  }
  return `cli ${user}@${hostname()}`;
}
