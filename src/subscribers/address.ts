// A practical check of an email address (what mail systems accept in practice, not all of RFC 5322).

export const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;

/** The key that makes uniqueness ignore case: trimmed and lower-cased. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export function hasLineBreak(s: string): boolean {
  return /[\r\n]/.test(s);
}

// Characters that only appear in quoted local parts or in display forms ("Name <a@b>"), which a
// subscriber list has no use for and which make header injection and look-alikes easier.
const FORBIDDEN = /[\s\u0000-\u001f\u007f"(),:;<>[\\\]]/u;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

/** Why the (trimmed) address is not usable, or undefined when it is. */
export function addressProblem(email: string): string | undefined {
  if (email === '') return 'no email address';
  if (hasLineBreak(email)) return 'the address contains a line break';
  if (email.length > MAX_ADDRESS_LENGTH) return `the address is longer than ${MAX_ADDRESS_LENGTH} characters`;
  if (FORBIDDEN.test(email)) return `'${email}' is not an email address (it contains a space, a control character or one of "(),:;<>[\\])`;
  const parts = email.split('@');
  if (parts.length !== 2) return `'${email}' is not an email address (it needs exactly one @)`;
  const [local, domain] = parts;
  if (local === '' || local.length > MAX_LOCAL_LENGTH) return `'${email}' is not an email address (the part before @ is empty or too long)`;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return `'${email}' is not an email address (misplaced dot before @)`;
  const labels = domain.split('.');
  if (labels.length < 2) return `'${email}' is not an email address (the domain has no dot)`;
  if (!labels.every((l) => LABEL.test(l) && l.length <= 63)) return `'${email}' is not an email address (the domain '${domain}' is malformed)`;
  if (/^\d+$/.test(labels.at(-1)!)) return `'${email}' is not an email address (the domain '${domain}' has a numeric top level)`;
  return undefined;
}
