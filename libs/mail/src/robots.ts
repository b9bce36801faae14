import { addressesIn, first, HeaderBag } from './headers';

/**
 * Is this mail from a robot? RFC 3834 and the de-facto headers auto-responders, list servers and
 * mailer daemons set. A robot never opens a ticket and never gets an acknowledgement.
 */
export type SenderKind = 'person' | 'auto-reply' | 'bounce' | 'list';

export interface Classification {
  kind: SenderKind;
  /** Why, in words an admin can read in the review list (empty for a person). */
  reasons: string[];
}

const DAEMON_LOCAL_PARTS =
  /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon|bounce[s]?|double-bounce)$/i;
const BOUNCE_SUBJECT =
  /^(undeliver(ed|able)|delivery (status notification|failure|has failed)|mail delivery (failed|failure|system)|returned mail|failure notice|non[- ]?delivery|warning: could not send|delivery (incomplete|delayed))/i;
const AUTO_REPLY_SUBJECT =
  /^(auto(matic)?[ -]?(reply|response|antwort)|auto:|out of (the )?office|abwesenheit|automatische antwort|réponse automatique|respuesta automática|risposta automatica|autosvar|fraværende|afwezig|automatisch antwoord|vacation|away from)/i;

export function classifySender(headers: HeaderBag): Classification {
  const reasons: string[] = [];
  const contentType = (first(headers, 'content-type') ?? '').toLowerCase();
  const from = first(headers, 'from') ?? '';
  const fromAddress = addressesIn(from)[0] ?? '';
  const fromLocal = fromAddress.split('@')[0] ?? '';
  const returnPath = headers.get('return-path');
  const emptyReturnPath = !!returnPath && returnPath.some((v) => /^<\s*>$/.test(v.trim()));
  const subject = (first(headers, 'subject') ?? '').trim();
  const autoSubmitted = (first(headers, 'auto-submitted') ?? '').trim().toLowerCase();

  // Bounces first: a bounce is also "auto-submitted", but it needs its own handling.
  if (
    /^multipart\/report\b/.test(contentType) &&
    /report-type\s*=\s*"?delivery-status/.test(contentType)
  ) {
    reasons.push('delivery status notification (multipart/report)');
  }
  if (DAEMON_LOCAL_PARTS.test(fromLocal)) reasons.push(`sent by ${fromLocal.toUpperCase()}`);
  if (emptyReturnPath && BOUNCE_SUBJECT.test(subject))
    reasons.push('empty return path and a delivery-failure subject');
  if (reasons.length) return { kind: 'bounce', reasons };

  if (autoSubmitted && autoSubmitted !== 'no') reasons.push(`Auto-Submitted: ${autoSubmitted}`);
  // Exchange puts it on its own automatic replies (All / OOF); other values (DR, RN, NRN: no receipts)
  // appear on ordinary mail from applications and say nothing about the sender.
  const suppress = (first(headers, 'x-auto-response-suppress') ?? '').trim();
  if (/\b(all|oof|autoreply)\b/i.test(suppress))
    reasons.push(`X-Auto-Response-Suppress: ${suppress}`);
  if (headers.has('x-autoreply') || headers.has('x-autorespond') || headers.has('x-autoresponder'))
    reasons.push('X-Autoreply/X-Autorespond present');
  const precedence = (first(headers, 'precedence') ?? '').trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence))
    reasons.push(`Precedence: ${precedence}`);
  if (emptyReturnPath) reasons.push('empty return path');
  // A subject alone is weak evidence (a person may write "Out of office laptops fail"): it counts
  // only on a mail that answers another one.
  const answers = headers.has('in-reply-to') || headers.has('references');
  if (AUTO_REPLY_SUBJECT.test(subject) && answers) reasons.push('auto-reply subject on an answer');
  const listId = headers.has('list-id') || headers.has('list-unsubscribe');
  if (listId) reasons.push('mailing list (List-Id/List-Unsubscribe)');
  if (!reasons.length) return { kind: 'person', reasons };
  const onlyList =
    listId &&
    reasons.every(
      (r) => r.startsWith('mailing list') || r === 'Precedence: list' || r === 'Precedence: bulk',
    );
  return { kind: onlyList ? 'list' : 'auto-reply', reasons };
}
