import {
  CalendarDocument,
  CalendarError,
  parseCalendar,
  parseGovUkBankHolidays,
} from '@app/business-hours';
import { DomainError, invalid, notFound, TtlCache } from '@app/config';
import { mapPgError } from '@app/identity';
import {
  explainTarget,
  parsePolicy,
  planTargets,
  PolicyError,
  Severity,
  SlaPolicy,
} from '@app/sla';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface StoredPolicy {
  id: string;
  name: string;
  document: SlaPolicy;
  /** The stored calendar the policy follows (its document holds a copy, renewed when that calendar is saved); null: its own hours. */
  calendarId: string | null;
  updatedAt: string;
}
export interface StoredCalendar {
  id: string;
  name: string;
  document: CalendarDocument;
  updatedAt: string;
}

const CACHE_MS = 10_000;
/** A calendar as stored (calendars rows). */
const toStored = (r: {
  id: string;
  name: string;
  document: CalendarDocument;
  updated_at: Date;
}) => ({
  id: r.id,
  name: r.name,
  document: r.document,
  updatedAt: new Date(r.updated_at).toISOString(),
});
interface PolicyRow {
  id: string;
  name: string;
  document: SlaPolicy;
  calendar_id: string | null;
  updated_at: Date;
}
const toPolicy = (r: PolicyRow): StoredPolicy => ({
  id: r.id,
  name: r.name,
  document: r.document,
  calendarId: r.calendar_id ?? null,
  updatedAt: new Date(r.updated_at).toISOString(),
});

function checkPolicy(doc: unknown): SlaPolicy {
  try {
    return parsePolicy(doc);
  } catch (err) {
    if (err instanceof PolicyError || err instanceof CalendarError)
      throw invalid('bad_policy', `Policy: ${err.message}`);
    throw err;
  }
}
function checkCalendar(doc: unknown): CalendarDocument {
  try {
    return parseCalendar(doc);
  } catch (err) {
    if (err instanceof CalendarError) throw invalid('bad_calendar', `Calendar: ${err.message}`);
    throw err;
  }
}

/** SLA policies and business-hours calendars as stored documents; the arithmetic is in @app/sla. */
@Injectable()
export class PoliciesService {
  private readonly cache = new TtlCache<string, StoredPolicy>(CACHE_MS);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `calendarId`: follow that stored calendar (its hours replace `document.calendar`). */
  async createPolicy(doc: unknown, calendarId?: string | null): Promise<StoredPolicy> {
    const policy = checkPolicy(await this.withCalendar(doc, calendarId));
    try {
      const [row] = await this.db.query(
        `INSERT INTO sla_policies (name, document, calendar_id) VALUES ($1, $2, $3) RETURNING *`,
        [policy.name, JSON.stringify(policy), calendarId ?? null],
      );
      return toPolicy(row);
    } catch (err) {
      throw mapPgError(err, 'policy');
    }
  }

  /** `calendarId`: follow that calendar; null: keep `document.calendar` as the policy's own; undefined: as before. */
  async updatePolicy(id: string, doc: unknown, calendarId?: string | null): Promise<StoredPolicy> {
    const current = await this.getPolicy(id);
    const link = calendarId === undefined ? current.calendarId : calendarId;
    const policy = checkPolicy(await this.withCalendar(doc, link));
    try {
      const [[row]] = await this.db.query(
        `UPDATE sla_policies SET name = $2, document = $3, calendar_id = $4, updated_at = now() WHERE id = $1 RETURNING *`,
        [id, policy.name, JSON.stringify(policy), link],
      );
      this.cache.clear();
      return toPolicy(row);
    } catch (err) {
      throw mapPgError(err, 'policy');
    }
  }

  private async withCalendar(
    doc: unknown,
    calendarId: string | null | undefined,
  ): Promise<unknown> {
    if (!calendarId) return doc;
    const calendar = (await this.getCalendar(calendarId)).document;
    return doc && typeof doc === 'object' ? { ...doc, calendar } : doc;
  }

  async getPolicy(id: string): Promise<StoredPolicy> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const [row] = await this.db
      .query(`SELECT * FROM sla_policies WHERE id = $1`, [id])
      .catch((e) => {
        throw mapPgError(e, 'policy');
      });
    if (!row) throw notFound('policy_not_found', `No SLA policy ${id}.`);
    const policy = toPolicy(row);
    this.cache.set(id, policy);
    return policy;
  }

  async listPolicies(): Promise<StoredPolicy[]> {
    return (await this.db.query(`SELECT * FROM sla_policies ORDER BY name`)).map(toPolicy);
  }

  async findPolicyByName(name: string): Promise<StoredPolicy | null> {
    const [row] = await this.db.query(`SELECT * FROM sla_policies WHERE name = $1`, [name]);
    return row ? toPolicy(row) : null;
  }

  /** "Received at X with severity Y under policy P: due at Z", with the explanation. */
  async preview(policyId: string, severity: Severity, receivedAt: number) {
    const { id, name, document } = await this.getPolicy(policyId);
    const targets = planTargets(document, severity, receivedAt).map((t) => {
      const explained = explainTarget(document, severity, t.metric, receivedAt);
      return {
        metric: t.metric,
        clock: t.clock,
        targetSeconds: t.targetSeconds,
        dueAt: new Date(t.dueAt).toISOString(),
        warningAt: t.warningAt === null ? null : new Date(t.warningAt).toISOString(),
        steps: explained.steps,
      };
    });
    return {
      policyId: id,
      policy: name,
      severity,
      receivedAt: new Date(receivedAt).toISOString(),
      targets,
    };
  }

  async createCalendar(name: string, doc: unknown): Promise<StoredCalendar> {
    const calendar = checkCalendar(doc);
    try {
      const [row] = await this.db.query(
        `INSERT INTO calendars (name, document) VALUES ($1, $2) RETURNING *`,
        [name, JSON.stringify(calendar)],
      );
      return toStored(row);
    } catch (err) {
      throw mapPgError(err, 'calendar');
    }
  }

  /**
   * Saves a calendar and copies it into every policy that follows it, in one transaction: new tickets
   * under those policies get due times from the new hours; open tickets keep the due times they have.
   */
  async updateCalendar(
    id: string,
    patch: { name?: string; document?: unknown },
  ): Promise<StoredCalendar & { policies: string[] }> {
    const current = await this.getCalendar(id);
    const calendar =
      patch.document === undefined ? current.document : checkCalendar(patch.document);
    try {
      return await this.db.transaction(async (m) => {
        const [[row]] = await m.query(
          `UPDATE calendars SET name = $2, document = $3, updated_at = now() WHERE id = $1 RETURNING *`,
          [id, patch.name ?? current.name, JSON.stringify(calendar)],
        );
        const [followers] = await m.query(
          `UPDATE sla_policies SET document = jsonb_set(document, '{calendar}', $2::jsonb), updated_at = now() WHERE calendar_id = $1 RETURNING name`,
          [id, JSON.stringify(calendar)],
        );
        this.cache.clear();
        return {
          ...toStored(row),
          policies: followers.map((p: { name: string }) => p.name).sort(),
        };
      });
    } catch (err) {
      throw mapPgError(err, 'calendar');
    }
  }

  async getCalendar(id: string): Promise<StoredCalendar> {
    const [row] = await this.db.query(`SELECT * FROM calendars WHERE id = $1`, [id]).catch((e) => {
      throw mapPgError(e, 'calendar');
    });
    if (!row) throw notFound('calendar_not_found', `No calendar ${id}.`);
    return toStored(row);
  }

  async listCalendars(): Promise<StoredCalendar[]> {
    return (await this.db.query(`SELECT * FROM calendars ORDER BY name`)).map(toStored);
  }

  async deleteCalendar(id: string): Promise<void> {
    const res = await this.db.query(`DELETE FROM calendars WHERE id = $1`, [id]);
    if (!res[1]) throw notFound('calendar_not_found', `No calendar ${id}.`);
  }

  /** Adds the days of one division of GOV.UK `bank-holidays.json` to the calendar's own holidays. */
  async importBankHolidays(
    id: string,
    json: unknown,
    division: string,
  ): Promise<StoredCalendar & { added: number }> {
    let parsed: Record<string, { date: string }[]>;
    try {
      parsed = parseGovUkBankHolidays(json);
    } catch (err) {
      if (err instanceof CalendarError) throw invalid('bad_bank_holidays', err.message);
      throw err;
    }
    const days = parsed[division];
    if (!days)
      throw new DomainError(
        'invalid',
        'unknown_division',
        `No division "${division}" in the file; it has ${Object.keys(parsed).join(', ')}.`,
      );
    const current = await this.getCalendar(id);
    const before = new Set(current.document.holidays ?? []);
    const holidays = [...new Set([...before, ...days.map((d) => d.date)])].sort();
    const updated = await this.updateCalendar(id, { document: { ...current.document, holidays } });
    return { ...updated, added: holidays.length - before.size };
  }
}
