import { DataSource, DataSourceOptions } from 'typeorm';
import { MAIL_MIGRATIONS } from '@app/mail';
import { Initial1763769600000 } from './migrations/1763769600000-Initial';
import { OutboundMailHeaders1763790000000 } from './migrations/1763790000000-OutboundMailHeaders';
import { AlarmNotify1763800000000 } from './migrations/1763800000000-AlarmNotify';
import { OpenTargetDueIndex1763800100000 } from './migrations/1763800100000-OpenTargetDueIndex';
import { TicketAttachments1763800200000 } from './migrations/1763800200000-TicketAttachments';
import { PolicyCalendarLink1763800300000 } from './migrations/1763800300000-PolicyCalendarLink';
import { OrganizationDefaultSeverity1763800400000 } from './migrations/1763800400000-OrganizationDefaultSeverity';
import { FilingOnce1763800500000 } from './migrations/1763800500000-FilingOnce';
import { AttachmentsOfMessages1764000200000 } from './migrations/1764000200000-AttachmentsOfMessages';
import { SupportChat1764000700000 } from './migrations/1764000700000-SupportChat';
import { ClockRounds1764130000000 } from './migrations/1764130000000-ClockRounds';
import { ReportsAndAvailability1764140000000 } from './migrations/1764140000000-ReportsAndAvailability';
import { ReportDeliveries1764150000000 } from './migrations/1764150000000-ReportDeliveries';
import { TwoFactorAndSessions1764160000000 } from './migrations/1764160000000-TwoFactorAndSessions';
import { AuditChain1764170000000 } from './migrations/1764170000000-AuditChain';
import { ContractEnd1764170100000 } from './migrations/1764170100000-ContractEnd';

/** Every migration, in order. Migrations are an explicit step (`npm run migrate`), never run at boot. */
export const MIGRATIONS = [
  Initial1763769600000,
  ...MAIL_MIGRATIONS,
  OutboundMailHeaders1763790000000,
  AlarmNotify1763800000000,
  OpenTargetDueIndex1763800100000,
  TicketAttachments1763800200000,
  PolicyCalendarLink1763800300000,
  OrganizationDefaultSeverity1763800400000,
  FilingOnce1763800500000,
  AttachmentsOfMessages1764000200000,
  SupportChat1764000700000,
  ClockRounds1764130000000,
  ReportsAndAvailability1764140000000,
  ReportDeliveries1764150000000,
  TwoFactorAndSessions1764160000000,
  AuditChain1764170000000,
  ContractEnd1764170100000,
];

/** Options shared by the app's TypeORM module and the migration CLI. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    extra: { max: 20 },
  };
}

/** A DataSource for scripts (migrate, seed, tests): no entities, raw SQL through the query runner. */
export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}

/** Runs every pending migration against `url`; returns the names of those it ran. */
export async function migrate(url: string): Promise<string[]> {
  const ds = createDataSource(url);
  await ds.initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
