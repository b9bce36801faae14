/**
 * `npm run seed`: idempotent demo data. Two customers (one on "Standard support", one on the Danish
 * terms), their users and admins, agents at support levels 1–3 (level 3 cleared for OFFICIAL-SENSITIVE),
 * a manager and an admin (SEED_ADMIN_EMAIL / SEED_ADMIN_PASSWORD, default admin@helpdesk.local /
 * admin-password). Prints every login.
 */
import { DEFAULT_CALENDAR } from '@app/business-hours';
import { AppConfig, loadConfig } from '@app/config';
import { DANISH_TERMS, STANDARD_SUPPORT } from '@app/sla';
import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { HISTORY_QUARTER, seedReportHistory } from './seed-history';

export const DEMO_PASSWORD = 'demo-password';

interface SeedUser {
  email: string;
  name: string;
  role: string;
  org?: string;
  level?: number;
  cleared?: boolean;
  password: string;
}

export async function seed(db: DataSource, config: AppConfig): Promise<SeedUser[]> {
  const policyId = async (doc: object & { name: string }) => {
    const [row] = await db.query(
      `INSERT INTO sla_policies (name, document) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [doc.name, JSON.stringify(doc)],
    );
    return row.id as string;
  };
  await db.query(
    `INSERT INTO calendars (name, document) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
    ['Contract hours (09:00–18:00 GMT, England and Wales)', JSON.stringify(DEFAULT_CALENDAR)],
  );
  await db.query(
    `INSERT INTO calendars (name, document) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
    ['Danish office hours (08:00–17:00)', JSON.stringify(DANISH_TERMS.calendar)],
  );
  const standard = await policyId(STANDARD_SUPPORT);
  const danish = await policyId(DANISH_TERMS);
  // Each demo policy follows the stored calendar it was written with (editing that calendar re-times new tickets).
  await db.query(
    `UPDATE sla_policies p SET calendar_id = c.id FROM calendars c WHERE p.id IN ($1, $2) AND p.calendar_id IS NULL AND c.document = p.document->'calendar'`,
    [standard, danish],
  );
  const org = async (name: string, policy: string, domain: string) => {
    const [row] = await db.query(
      `INSERT INTO organizations (name, policy_id, email_domains) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [name, policy, [domain]],
    );
    return row.id as string;
  };
  const orgs: Record<string, string> = {
    acme: await org('Acme Ltd', standard, 'acme.example'),
    nordisk: await org('Nordisk Kommune', danish, 'nordisk.example'),
  };
  const users: SeedUser[] = [
    {
      email: config.SEED_ADMIN_EMAIL,
      name: 'Ada Admin',
      role: 'admin',
      password: config.SEED_ADMIN_PASSWORD,
    },
    {
      email: 'manager@helpdesk.local',
      name: 'Max Manager',
      role: 'manager',
      password: DEMO_PASSWORD,
    },
    {
      email: 'agent1@helpdesk.local',
      name: 'Anna Level-One',
      role: 'agent',
      level: 1,
      password: DEMO_PASSWORD,
    },
    {
      email: 'agent2@helpdesk.local',
      name: 'Ben Level-Two',
      role: 'agent',
      level: 2,
      password: DEMO_PASSWORD,
    },
    {
      email: 'agent3@helpdesk.local',
      name: 'Cleo Level-Three (cleared)',
      role: 'agent',
      level: 3,
      cleared: true,
      password: DEMO_PASSWORD,
    },
    {
      email: 'carol@acme.example',
      name: 'Carol (Acme admin)',
      role: 'customer_admin',
      org: 'acme',
      password: DEMO_PASSWORD,
    },
    {
      email: 'alice@acme.example',
      name: 'Alice (Acme)',
      role: 'customer',
      org: 'acme',
      password: DEMO_PASSWORD,
    },
    {
      email: 'mette@nordisk.example',
      name: 'Mette (Nordisk admin)',
      role: 'customer_admin',
      org: 'nordisk',
      password: DEMO_PASSWORD,
    },
    {
      email: 'lars@nordisk.example',
      name: 'Lars (Nordisk)',
      role: 'customer',
      org: 'nordisk',
      password: DEMO_PASSWORD,
    },
  ];
  for (const u of users) {
    const hash = await argon2.hash(u.password, { type: argon2.argon2id });
    const [row] = await db.query(
      `INSERT INTO users (email, name, password_hash, role, organization_id, support_level, security_clearance)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (lower(email)) DO UPDATE SET name = EXCLUDED.name, password_hash = EXCLUDED.password_hash, role = EXCLUDED.role,
         organization_id = EXCLUDED.organization_id, support_level = EXCLUDED.support_level, security_clearance = EXCLUDED.security_clearance, active = true
       RETURNING id`,
      [
        u.email,
        u.name,
        hash,
        u.role,
        u.org ? orgs[u.org] : null,
        u.level ?? null,
        u.cleared ?? false,
      ],
    );
    if (u.role === 'customer_admin')
      await db.query(`UPDATE organizations SET principal_user_id = $1 WHERE id = $2`, [
        row.id,
        orgs[u.org!],
      ]);
  }
  return users;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const db = createDataSource(config.DATABASE_URL);
  await db.initialize();
  try {
    const users = await seed(db, config);
    const history = await seedReportHistory(db);
    // On stderr: npm start lists this script's stdout as the logins.
    if (history > 0)
      console.error(
        `Seeded ${history} tickets of ${HISTORY_QUARTER} history for the quarterly reports.`,
      );
    console.log('Demo data is in place. Logins:');
    for (const u of users) {
      const extra =
        u.role === 'agent'
          ? ` level ${u.level}${u.cleared ? ', security clearance' : ''}`
          : u.org
            ? ` (${u.org})`
            : '';
      console.log(`  ${u.role.padEnd(15)} ${u.email.padEnd(28)} ${u.password}   ${extra}`);
    }
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`seed failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
