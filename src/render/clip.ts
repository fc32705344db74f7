// Gmail clips a message whose HTML passes about 102 KB and hides the rest: the footer and its unsubscribe link too.

export const GMAIL_CLIP_BYTES = 102 * 1024;

export const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** What to tell the organizer about HTML of this size, or undefined when it is well under the limit. */
export function clipWarning(htmlBytes: number): string | undefined {
  if (htmlBytes <= GMAIL_CLIP_BYTES) return undefined;
  return `the HTML is ${kb(htmlBytes)}: Gmail clips past ${kb(GMAIL_CLIP_BYTES)} and hides the rest, the unsubscribe link included (lower maxPerSection or shorten descriptions)`;
}
