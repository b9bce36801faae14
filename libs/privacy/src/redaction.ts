/** What replaces free text a person wrote when they are anonymised. */
export const REDACTED = '[redacted]';

/** The e-mail address an anonymised person gets: unique, not deliverable (RFC 2606 `.invalid`). */
export const anonymisedEmail = (userId: string) =>
  `anonymised-${userId.slice(0, 8)}@anonymised.invalid`;
export const ANONYMISED_NAME = 'Anonymised person';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes a person's identifiers (name, its parts of 3 or more letters, e-mail address and its
 * local part) from someone else's text, case-insensitively and on word boundaries.
 */
export function scrub(text: string, identifiers: string[]): string {
  const words = new Set<string>();
  for (const id of identifiers) {
    const t = id.trim();
    if (!t) continue;
    words.add(t);
    if (t.includes('@')) {
      const local = t.split('@')[0];
      if (local.length >= 3) words.add(local);
    } else for (const part of t.split(/\s+/)) if (part.length >= 3) words.add(part);
  }
  const sorted = [...words].sort((a, b) => b.length - a.length).map(escape);
  if (!sorted.length) return text;
  return text.replace(
    new RegExp(`(?<![\\p{L}\\p{N}])(${sorted.join('|')})(?![\\p{L}\\p{N}])`, 'giu'),
    REDACTED,
  );
}
