import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import type { Channel, MaintenanceFacts, OutageFacts, Status, TicketFacts } from './core';
import { maintenanceReference, outageReference } from './availability.service';
import { FoldedText } from './folded-text';

// Whole milliseconds, as the API writes instants (a reply stops a target at its Date, in ms).
// date_part gives float8 seconds (cheaper than extract's numeric); + 1 µs absorbs its rounding.
const ms = (column: string) => `floor(date_part('epoch', ${column}) * 1000 + 0.001)`;
const STAFF = `('agent','manager','admin')`;

/**
 * Reports loading at once in this process: each holds three pooled connections, so a bounded
 * number can never take the whole pool (20) while waiting for their second and third.
 */
const LOADS_AT_ONCE = 4;

/** Most tickets were never re-classified: they share this empty (frozen) list until they need one. */
const NONE = Object.freeze([]) as unknown as never[];
const add = <T>(list: T[], item: T): T[] => {
  if (list === NONE) return [item];
  list.push(item);
  return list;
};

interface MaintenanceFactsRow {
  number: string;
  start: number;
  end: number;
  announced: number;
  actual_start: number;
  actual_end: number;
}

/**
 * Loads a report's events in three queries, whatever the number of tickets: the tickets with their
 * first-response target and incident ends, their history of severity, support level and status,
 * the times of their public staff replies, and the outages and maintenance windows. Rows are
 * compact (numbers, not dates) so that 100,000 tickets stream in well under a second.
 *
 * A ticket is read when it can count in the period: received before its end, and changed since its
 * start or still open.
 */
@Injectable()
export class ReportFactsRepository {
  private loading = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private readonly scope = `t.organization_id = $1 AND t.received_at < $3 AND (t.updated_at >= $2 OR t.status NOT IN ('resolved','closed'))`;

  async tickets(organizationId: string, from: number, end: number): Promise<TicketFacts[]> {
    // Three queries at once on three connections (the database works on them in parallel), each
    // folding its rows into one text ("a|b|c" lines) that JavaScript reads field by field: far
    // cheaper to transfer and parse than a row per ticket. The ticket scope is inlined in each.
    // The three share one snapshot, so they see the same moment, as one statement would.
    const scope = `WITH s AS NOT MATERIALIZED (
         SELECT t.id, t.number, t.policy_id, t.received_at, t.channel, t.severity, t.status, t.support_level
           FROM tickets t WHERE ${this.scope})`;
    const args = [organizationId, new Date(from), new Date(end)];
    if (this.loading >= LOADS_AT_ONCE) await new Promise<void>((go) => this.waiting.push(go));
    else this.loading++;
    try {
      const runners = await this.sharedSnapshot(3);
      try {
        return await this.read(runners, scope, args);
      } finally {
        await Promise.all(runners.map((r) => r.rollbackTransaction().finally(() => r.release())));
      }
    } finally {
      // The next waiting load takes this one's place (the count stays), else the count drops.
      const next = this.waiting.shift();
      if (next) next();
      else this.loading--;
    }
  }

  /** Read-only transactions on `n` connections that see one snapshot (the first one's, exported). */
  private async sharedSnapshot(n: number): Promise<QueryRunner[]> {
    const runners: QueryRunner[] = [];
    const open = async (snapshot?: string) => {
      const r = this.db.createQueryRunner();
      runners.push(r);
      await r.startTransaction('REPEATABLE READ');
      if (snapshot) await r.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
      return r;
    };
    try {
      const lead = await open();
      const [{ snapshot }] = await lead.query(`SELECT pg_export_snapshot() AS snapshot`);
      await Promise.all(Array.from({ length: n - 1 }, () => open(snapshot as string)));
      return runners;
    } catch (err) {
      await Promise.all(
        runners.map((r) =>
          (r.isTransactionActive ? r.rollbackTransaction() : Promise.resolve())
            .catch(() => undefined)
            .finally(() => r.release()),
        ),
      );
      throw err;
    }
  }

  private async read(
    [one, two, three]: QueryRunner[],
    scope: string,
    args: unknown[],
  ): Promise<TicketFacts[]> {
    type Folded = Promise<{ lines: string | null }[]>;
    const [baseQuery, historyQuery, repliesQuery]: Folded[] = [
      one.query(
        `${scope}
         SELECT string_agg(concat(s.id, '|', s.number, '|', s.policy_id, '|', ${ms('s.received_at')}, '|', s.channel, '|',
                s.severity, '|', s.status, '|', s.support_level, '|', ${ms('tt.due_at')}, '|', ${ms('tt.stopped_at')}, '|',
                tt.state, '|', ${ms('o.started_at')}, '|', ${ms('o.restored_at')}), E'\n') AS lines
           FROM s
           LEFT JOIN ticket_targets tt ON tt.ticket_id = s.id AND tt.metric = 'first_response'
           LEFT JOIN outages o ON o.ticket_id = s.id`,
        args,
      ),
      // An entry with a missing value is null as a whole, and string_agg leaves it out.
      two.query(
        `${scope}
         SELECT string_agg(s.number || '|' || h.field || '|' || (h.old_value #>> '{}') || '|' || (h.new_value #>> '{}') || '|' || ${ms('h.at')} || '|' || h.id, E'\n' ORDER BY ${ms('h.at')}, h.id) AS lines
           FROM ticket_history h JOIN s ON s.id = h.ticket_id
          WHERE h.field IN ('severity','supportLevel','status')`,
        args,
      ),
      three.query(
        `${scope}
         SELECT string_agg(s.number || '|' || ${ms('m.created_at')}, E'\n') AS lines
           FROM ticket_messages m JOIN s ON s.id = m.ticket_id JOIN users u ON u.id = m.author_id
          WHERE m.visibility = 'public' AND NOT m.automatic AND u.role IN ${STAFF}`,
        args,
      ),
    ];
    // Read each text as it arrives, while the database still works on the others.
    historyQuery.catch(() => undefined);
    repliesQuery.catch(() => undefined);
    const base = await baseQuery;
    const byNumber = new Map<number, TicketFacts>();
    const numbers: number[] = [];
    for (const r of base) {
      const f = new FoldedText(r.lines ?? '');
      while (f.more) {
        const id = f.string();
        const number = f.number()!;
        const policyId = f.word(0);
        const receivedAt = f.number()!;
        const channel = f.word(1) as Channel;
        const severity = f.number()!;
        const status = f.word(2) as Status;
        const supportLevel = f.number()!;
        const dueAt = f.number();
        const stoppedAt = f.number();
        const state = f.word(3);
        byNumber.set(number, {
          id,
          reference: `HD-${String(number).padStart(6, '0')}`,
          policyId,
          receivedAt,
          channel,
          severity,
          status,
          supportLevel,
          severityChanges: NONE,
          levelChanges: NONE,
          statusChanges: NONE,
          staffReplies: NONE,
          firstResponse: dueAt === null ? null : { dueAt, stoppedAt, state },
          incidentStart: f.number(),
          restoredAt: f.number(),
        });
        numbers.push(number);
      }
    }
    for (const r of await repliesQuery) {
      const f = new FoldedText(r.lines ?? '');
      while (f.more) {
        const t = byNumber.get(f.number()!);
        const at = f.number()!;
        if (t) t.staffReplies = add(t.staffReplies, at);
      }
    }
    // In time order (then by id: the order they were written), as the database sorted them.
    for (const r of await historyQuery) {
      const f = new FoldedText(r.lines ?? '');
      while (f.more) {
        const t = byNumber.get(f.number()!);
        const field = f.word(0);
        const before = f.word(1);
        const after = f.word(2);
        const at = f.number()!;
        f.number(); // the entry's id
        if (!t) continue;
        if (field === 'severity')
          t.severityChanges = add(t.severityChanges, {
            at,
            from: Number(before),
            to: Number(after),
          });
        else if (field === 'supportLevel')
          t.levelChanges = add(t.levelChanges, { at, from: Number(before), to: Number(after) });
        else
          t.statusChanges = add(t.statusChanges, {
            at,
            from: before as Status,
            to: after as Status,
          });
      }
    }
    const tickets: TicketFacts[] = [];
    for (const n of Float64Array.from(numbers).sort()) {
      const t = byNumber.get(n)!;
      if (t.staffReplies.length > 1) t.staffReplies.sort((a, b) => a - b);
      tickets.push(t);
    }
    return tickets;
  }

  async outages(organizationId: string, end: number): Promise<OutageFacts[]> {
    const rows = await this.db.query(
      `SELECT number, ${ms('started_at')} AS start, ${ms('restored_at')} AS restored FROM outages
        WHERE ticket_id IS NULL AND (organization_id = $1 OR organization_id IS NULL) AND started_at < $2`,
      [organizationId, new Date(end)],
    );
    return rows.map((r: { number: string; start: number; restored: number | null }) => ({
      reference: outageReference(r.number),
      start: r.start,
      restoredAt: r.restored,
    }));
  }

  async maintenance(
    organizationId: string,
    from: number,
    end: number,
  ): Promise<MaintenanceFacts[]> {
    const rows = await this.db.query(
      `SELECT number, ${ms('starts_at')} AS start, ${ms('ends_at')} AS "end", ${ms('announced_at')} AS announced,
              ${ms('coalesce(actual_start_at, starts_at)')} AS actual_start, ${ms('coalesce(actual_end_at, ends_at)')} AS actual_end
         FROM maintenance_windows
        WHERE (organization_id = $1 OR organization_id IS NULL)
          AND least(starts_at, coalesce(actual_start_at, starts_at)) < $3 AND greatest(ends_at, coalesce(actual_end_at, ends_at)) > $2`,
      [organizationId, new Date(from), new Date(end)],
    );
    return rows.map((r: MaintenanceFactsRow) => ({
      reference: maintenanceReference(r.number),
      start: r.start,
      end: r.end,
      announcedAt: r.announced,
      actualStart: r.actual_start,
      actualEnd: r.actual_end,
    }));
  }
}
