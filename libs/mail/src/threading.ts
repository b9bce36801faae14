import { Severity } from '@app/sla';
import { first, HeaderBag, messageIdsIn } from './headers';

/**
 * Where a mail might belong, in the order the filing rules try them: the Message-IDs it answers
 * (In-Reply-To, then References newest first), the ticket reference in the subject, the
 * reference in a `support+HD-000123@` address.
 */
export interface ThreadingKeys {
  repliedMessageIds: string[];
  subjectReference: string | null;
  addressReference: string | null;
}

const REFERENCE = /\bHD-(\d{1,12})\b/i;

/** Normalises `HD-123`, `hd-000123` to the canonical `HD-000123`. */
export function canonicalReference(digits: string | number): string {
  return `HD-${String(Number(digits)).padStart(6, '0')}`;
}

export function referenceInSubject(subject: string | undefined | null): string | null {
  if (!subject) return null;
  const m = /\[\s*HD-(\d{1,12})\s*\]/i.exec(subject) ?? REFERENCE.exec(subject);
  return m ? canonicalReference(m[1]) : null;
}

/** `support+HD-000123@help.example` -> `HD-000123`, when the local part before `+` is one of ours. */
export function referenceInAddresses(
  addresses: string[],
  supportLocalParts: string[],
): string | null {
  const ours = supportLocalParts.map((l) => l.toLowerCase());
  for (const address of addresses) {
    const [local] = address.toLowerCase().split('@');
    const plus = local.indexOf('+');
    if (plus <= 0) continue;
    if (!ours.includes(local.slice(0, plus))) continue;
    const m = /^hd-(\d{1,12})$/.exec(local.slice(plus + 1));
    if (m) return canonicalReference(m[1]);
  }
  return null;
}

export function threadingKeys(
  headers: HeaderBag,
  subject: string,
  recipients: string[],
  supportLocalParts: string[],
): ThreadingKeys {
  const inReplyTo = messageIdsIn(first(headers, 'in-reply-to'));
  const references = messageIdsIn((headers.get('references') ?? []).join(' ')).reverse();
  return {
    repliedMessageIds: [...new Set([...inReplyTo, ...references])],
    subjectReference: referenceInSubject(subject),
    addressReference: referenceInAddresses(recipients, supportLocalParts),
  };
}

/** `[S1]`, `[Severity 1]`, `[Sev 2]`, `[severity: 3]` in a subject; null when there is none or it is out of range. */
export function severityTag(subject: string | undefined | null): Severity | null {
  if (!subject) return null;
  const m = /\[\s*(?:s|sev|severity)\s*[:#-]?\s*([0-9])\s*\]/i.exec(subject);
  if (!m) return null;
  const n = Number(m[1]);
  return n === 1 || n === 2 || n === 3 ? n : null;
}

/** The subject without our `[HD-…]` and severity tags and any `Re:`/`Fwd:` prefixes, for a new ticket's title. */
export function ticketTitle(subject: string | undefined | null): string {
  let s = (subject ?? '')
    .replace(/\[\s*HD-\d+\s*\]/gi, '')
    .replace(/\[\s*(?:s|sev|severity)\s*[:#-]?\s*[0-9]\s*\]/gi, '');
  for (;;) {
    const next = s.replace(/^\s*(re|fwd?|aw|sv|vs|wg|antw)\s*(\[\d+\])?\s*:\s*/i, '');
    if (next === s) break;
    s = next;
  }
  s = s
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return s || '(no subject)';
}
