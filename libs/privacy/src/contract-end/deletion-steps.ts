/**
 * The deletion of an ended organisation, as steps in order (foreign keys allow each once the ones
 * before are done). Each step deletes at most `$2` rows of organisation `$1` per run and returns
 * how many; a step is done when it deletes fewer than `$2`. Every statement finds what is left by
 * looking, so a batch run again after a crash deletes nothing twice.
 */
const ORG_TICKETS = `SELECT id FROM tickets WHERE organization_id = $1`;
const ORG_EMAILS = `SELECT lower(email) FROM users WHERE organization_id = $1`;
const ORG_DOMAINS = `SELECT unnest(email_domains) FROM organizations WHERE id = $1`;
/** An address of one of its users, or at one of its mail domains. */
const ORG_ADDRESS = (col: string) =>
  `(lower(${col}) IN (${ORG_EMAILS}) OR split_part(lower(${col}), '@', 2) IN (${ORG_DOMAINS}))`;

export interface DeletionStep {
  kind: string;
  sql: string;
  /** The statement takes the legal keep of audit entries in days as $3. */
  keep?: true;
}

export const DELETION_STEPS: DeletionStep[] = [
  {
    kind: 'attachments',
    sql: `DELETE FROM inbound_attachments WHERE id IN (
            SELECT id FROM inbound_attachments WHERE ticket_id IN (${ORG_TICKETS}) LIMIT $2)`,
  },
  {
    kind: 'mails',
    sql: `DELETE FROM inbound_mails WHERE id IN (
            SELECT id FROM inbound_mails
             WHERE ticket_id IN (${ORG_TICKETS}) OR ${ORG_ADDRESS('from_address')} LIMIT $2)`,
  },
  {
    kind: 'outboundMails',
    sql: `DELETE FROM outbound_mails WHERE id IN (
            SELECT id FROM outbound_mails
             WHERE ticket_id IN (${ORG_TICKETS})
                OR headers->>'X-Helpdesk-Organization' = $1::text
                OR EXISTS (SELECT 1 FROM unnest(to_addresses) a WHERE ${ORG_ADDRESS('a')})
             LIMIT $2)`,
  },
  {
    kind: 'messages',
    sql: `DELETE FROM ticket_messages WHERE id IN (
            SELECT id FROM ticket_messages WHERE ticket_id IN (${ORG_TICKETS}) LIMIT $2)`,
  },
  {
    // With them their targets, history, alarms, chat state and mail references (ON DELETE CASCADE).
    // A mail about them queued since the mail step (an alarm) goes with them.
    kind: 'tickets',
    sql: `WITH doomed AS (${ORG_TICKETS} LIMIT $2),
               mails AS (DELETE FROM outbound_mails WHERE ticket_id IN (SELECT id FROM doomed))
          DELETE FROM tickets WHERE id IN (SELECT id FROM doomed)`,
  },
  {
    // Entries older than the legal keep ($3 days); their links stay in audit_purged for the chain.
    kind: 'auditEntries',
    sql: `WITH doomed AS (
            SELECT id, prev_hash, hash FROM audit_log
             WHERE (organization_id = $1
                    OR (object_type = 'organization' AND object_id = $1::text)
                    OR actor_id IN (SELECT id FROM users WHERE organization_id = $1)
                    OR (object_type = 'user' AND object_id IN (SELECT id::text FROM users WHERE organization_id = $1)))
               AND at < now() - make_interval(days => $3)
             ORDER BY id LIMIT $2),
          kept AS (INSERT INTO audit_purged (id, prev_hash, hash) SELECT id, prev_hash, hash FROM doomed)
          DELETE FROM audit_log WHERE id IN (SELECT id FROM doomed)`,
    keep: true,
  },
  {
    kind: 'mailRecipients',
    sql: `DELETE FROM mail_recipients WHERE address IN (
            SELECT address FROM mail_recipients WHERE ${ORG_ADDRESS('address')} LIMIT $2)`,
  },
  {
    kind: 'mailAcknowledgements',
    sql: `DELETE FROM mail_acknowledgements WHERE id IN (
            SELECT id FROM mail_acknowledgements WHERE ${ORG_ADDRESS('sender')} LIMIT $2)`,
  },
  {
    kind: 'loginThrottle',
    sql: `DELETE FROM login_throttle WHERE key IN (
            SELECT key FROM login_throttle WHERE key IN (${ORG_EMAILS}) LIMIT $2)`,
  },
  {
    kind: 'users',
    // With them their sessions (ON DELETE CASCADE); the principal user link is set to null.
    sql: `DELETE FROM users WHERE id IN (SELECT id FROM users WHERE organization_id = $1 LIMIT $2)`,
  },
  {
    kind: 'organization',
    sql: `DELETE FROM organizations WHERE id = $1 AND $2::int > 0`,
  },
];

/** The step after `kind`, or null after the last. */
export function nextStep(kind: string): string | null {
  const i = DELETION_STEPS.findIndex((s) => s.kind === kind);
  return DELETION_STEPS[i + 1]?.kind ?? null;
}
