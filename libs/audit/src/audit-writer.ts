import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChainedFields, entryHash, GENESIS_HASH } from './audit-chain';

/** Audit writes of all api and worker processes take this lock in turn: the chain has one order. */
export const AUDIT_CHAIN_LOCK = 7_641_700;
const BATCH = 500;
const COLUMNS =
  'at, actor_id, actor_role, client_address, action, object_type, object_id, organization_id, ticket_id, details, dedup_key, prev_hash, hash';

export interface NewEntry extends ChainedFields {
  /** `actor|type|id` for reads: the entry is skipped when one with the key is younger than 5 min. */
  dedupKey: string | null;
}

interface Pending {
  entry: NewEntry;
  done?: { resolve(): void; reject(e: unknown): void };
}

/**
 * Writes audit entries in batches: one transaction, the chain lock, the hash of the last entry, one
 * multi-row INSERT. Reads are queued and written within `flushMs` (the ticket page does not wait);
 * changes and sign-ins wait for their batch (`write`).
 */
export class AuditWriter {
  private readonly logger = new Logger('AuditWriter');
  private pending: Pending[] = [];
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly db: DataSource,
    /** Repeated reads of one object by one person within this window are one entry. */
    private readonly dedupMs: number,
    private readonly flushMs = 200,
  ) {}

  /** Queues an entry; resolves once it is committed. */
  write(entry: NewEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, done: { resolve, reject } });
      this.schedule(0);
    });
  }

  /** Queues an entry to be written soon; nobody waits for it. */
  queue(entry: NewEntry): void {
    this.pending.push({ entry });
    this.schedule(this.pending.length >= BATCH ? 0 : this.flushMs);
  }

  /** Writes everything queued so far. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.running.then(() => this.drain());
    return this.running;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private schedule(ms: number): void {
    if (this.closed) return void this.flush();
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), ms);
    this.timer.unref?.();
  }

  private async drain(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending.splice(0, BATCH);
      try {
        await this.insert(batch.map((p) => p.entry));
        for (const p of batch) p.done?.resolve();
      } catch (err) {
        for (const p of batch) p.done?.reject(err);
        const lost = batch.filter((p) => !p.done);
        if (!lost.length) continue;
        // Reads nobody waits for are retried with the next flush (the database may be back by then).
        this.logger.error(`audit write failed, ${lost.length} reads kept for retry: ${err}`);
        this.pending.unshift(...lost);
        if (!this.closed) this.schedule(1000);
        return;
      }
    }
  }

  private async insert(entries: NewEntry[]): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [AUDIT_CHAIN_LOCK]);
      const keyed = entries.filter((e) => e.dedupKey);
      let seen = new Set<string>();
      if (keyed.length) {
        const rows: { dedup_key: string }[] = await m.query(
          `SELECT DISTINCT a.dedup_key FROM audit_log a
             JOIN unnest($1::text[], $2::timestamptz[]) AS k(key, at) ON a.dedup_key = k.key
            WHERE a.at > k.at - make_interval(secs => $3) AND a.at <= k.at`,
          [keyed.map((e) => e.dedupKey), keyed.map((e) => e.at), this.dedupMs / 1000],
        );
        seen = new Set(rows.map((r) => r.dedup_key));
      }
      const fresh: NewEntry[] = [];
      const lastOfKey = new Map<string, number>();
      for (const e of entries) {
        if (e.dedupKey) {
          if (seen.has(e.dedupKey)) continue;
          const last = lastOfKey.get(e.dedupKey);
          const at = Date.parse(e.at);
          if (last !== undefined && at - last < this.dedupMs) continue;
          lastOfKey.set(e.dedupKey, at);
        }
        fresh.push(e);
      }
      if (!fresh.length) return;
      const [last] = await m.query(
        `SELECT hash FROM (
           (SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1)
           UNION ALL (SELECT id, hash FROM audit_purged ORDER BY id DESC LIMIT 1)) l
          ORDER BY id DESC LIMIT 1`,
      );
      let prev: string = last?.hash ?? GENESIS_HASH;
      const cols: unknown[][] = Array.from({ length: 13 }, () => []);
      for (const e of fresh) {
        const hash = entryHash(prev, e);
        const values = [
          e.at,
          e.actorId,
          e.actorRole,
          e.clientAddress,
          e.action,
          e.objectType,
          e.objectId,
          e.organizationId,
          e.ticketId,
          e.details === undefined || e.details === null ? null : JSON.stringify(e.details),
          e.dedupKey,
          prev,
          hash,
        ];
        values.forEach((v, i) => cols[i].push(v));
        prev = hash;
      }
      await m.query(
        `INSERT INTO audit_log (${COLUMNS})
         SELECT ${COLUMNS} FROM unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[], $5::text[],
                  $6::text[], $7::text[], $8::uuid[], $9::uuid[], $10::jsonb[], $11::text[], $12::text[], $13::text[])
                WITH ORDINALITY AS u(${COLUMNS}, n)
         ORDER BY n`,
        cols,
      );
    });
  }
}
