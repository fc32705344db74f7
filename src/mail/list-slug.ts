// A list's name as the ledger keys its issues: light enough for commands that load no mail code (select).
import type { Config } from '../config/schema.ts';

export function listSlug(config: Pick<Config, 'listName'>): string {
  return config.listName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'digest';
}
