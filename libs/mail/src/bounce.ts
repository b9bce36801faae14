import { addressesIn, first, messageIdsIn, readHeaderBlock } from './headers';

/** What a bounce tells us: which of our mails failed, for whom, and whether for good. */
export interface BounceReport {
  /** Message-IDs the bounce refers to (the returned message's own id first), without brackets. */
  originalMessageIds: string[];
  /** Recipients the bounce reports on, lower-cased. */
  recipients: string[];
  /** `failed` (permanent), `delayed` (temporary, a warning) or `unknown` (no DSN fields found). */
  action: 'failed' | 'delayed' | 'unknown';
  /** DSN status code such as `5.1.1`, when given. */
  status: string | null;
}

export function readBounce(raw: Buffer): BounceReport {
  const text = raw.toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  const top = readHeaderBlock(text);
  const body = split === -1 ? '' : text.slice(split);

  const ids: string[] = [];
  for (const m of body.matchAll(/^Message-ID:\s*(<[^>\r\n]+>)/gim)) ids.push(...messageIdsIn(m[1]));
  ids.push(...messageIdsIn(first(top, 'in-reply-to')));
  ids.push(...messageIdsIn(first(top, 'references')).reverse());

  const recipients: string[] = [];
  for (const m of body.matchAll(/^(?:Final|Original)-Recipient:\s*(?:rfc822;)?\s*([^\r\n]+)/gim)) {
    recipients.push(...addressesIn(m[1].includes('<') ? m[1] : `<${m[1].trim()}>`));
  }
  if (!recipients.length) {
    // Non-DSN bounces (Exim, Gmail's older format) list the failed address indented on its own line.
    for (const m of body.matchAll(/^[ \t]+<?([^\s<>@]+@[^\s<>@]+?)>?\s*$/gm))
      recipients.push(m[1].toLowerCase());
    // ... or in the returned message's To header.
    const to = /^To:\s*([^\r\n]+)/im.exec(body);
    if (!recipients.length && to) recipients.push(...addressesIn(to[1]));
  }

  const actions = [...body.matchAll(/^Action:\s*(\w+)/gim)].map((m) => m[1].toLowerCase());
  const statusMatch =
    /^Status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(body) ??
    /\b([45]\.\d{1,3}\.\d{1,3})\b/.exec(body);
  const status = statusMatch ? statusMatch[1] : null;
  let action: BounceReport['action'] = 'unknown';
  if (actions.includes('failed')) action = 'failed';
  else if (actions.includes('delayed')) action = 'delayed';
  else if (status?.startsWith('5')) action = 'failed';
  else if (status?.startsWith('4')) action = 'delayed';
  else if (/permanent(ly)?|could not be delivered|undeliverable|failed/i.test(body))
    action = 'failed';

  return {
    originalMessageIds: [...new Set(ids)],
    recipients: [...new Set(recipients)],
    action,
    status,
  };
}
