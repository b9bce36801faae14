// docker/compose.yml and docker/Dockerfile cannot be run here (no Docker engine), so this checks what can
// drift without anyone noticing: the compose file parses, its settings pass the app's own config
// validation, its roles are ones the image's entrypoint knows, migrations run before the api and the
// worker, and the entrypoint's mail-catcher role really starts.
import { AppConfig, loadConfig } from '@app/config';
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
}
const compose = parse(read('docker/compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const appServices = Object.entries(services).filter(([, s]) => s.build);
const entrypoint = read('docker/entrypoint.sh');
const roles = [...entrypoint.matchAll(/^\s{2}([a-z-]+)\)$/gm)].map((m) => m[1]);

/** Resolves ${VAR:-default} as compose does when VAR is not set. */
function interpolate(value: string): string {
  return value
    .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')
    .replace(/\$\{TOTP_ENCRYPTION_KEY:\?[^}]*\}/g, Buffer.alloc(32, 7).toString('base64'));
}

describe('docker/compose.yml', () => {
  it('has the postgres, redis, mail catcher, migrate, api and worker services', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'mail',
      'migrate',
      'postgres',
      'redis',
      'worker',
    ]);
    expect(appServices.map(([name]) => name).sort()).toEqual(['api', 'mail', 'migrate', 'worker']);
  });

  it('builds every app service from the one image, each with a role the entrypoint knows', () => {
    expect(roles).toEqual(expect.arrayContaining(['api', 'worker', 'migrate', 'mail-catcher']));
    for (const [name, service] of appServices) {
      expect({ name, build: service.build }).toEqual({
        name,
        build: { context: '..', dockerfile: 'docker/Dockerfile' },
      });
      expect(roles).toContain(service.command![0]);
    }
    expect(new Set(appServices.map(([, s]) => s.image)).size).toBe(1);
  });

  it('runs the migrations (after PostgreSQL is healthy) before the api and the worker', () => {
    expect(services.migrate.depends_on!.postgres).toEqual({ condition: 'service_healthy' });
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on!.migrate).toEqual({
        condition: 'service_completed_successfully',
      });
      expect(services[name].depends_on!.redis).toEqual({ condition: 'service_healthy' });
    }
  });

  it('gives the apps settings that pass the config validation and name the compose services', () => {
    const known = Object.keys(new AppConfig());
    for (const [name, service] of appServices) {
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
      );
      expect({ name, unknown: Object.keys(env).filter((k) => !known.includes(k)) }).toEqual({
        name,
        unknown: [],
      });
      // The image runs with NODE_ENV=production (docker/Dockerfile): every required setting is there.
      const config = loadConfig({ NODE_ENV: 'production', ...env });
      expect(new URL(config.DATABASE_URL).hostname).toBe('postgres');
      expect(new URL(config.REDIS_URL).hostname).toBe('redis');
      expect(new URL(config.SMTP_URL)).toEqual(
        expect.objectContaining({ hostname: 'mail', port: '1025' }),
      );
    }
    expect(services.postgres.environment).toEqual(
      expect.objectContaining({
        POSTGRES_DB: new URL(services.api.environment!.DATABASE_URL).pathname.slice(1),
      }),
    );
  });

  it('publishes the api and the mail catcher page on 127.0.0.1 only', () => {
    expect(services.api.ports!.map(interpolate)).toEqual(['127.0.0.1:3000:3000']);
    expect(services.mail.ports!.map(interpolate)).toEqual(['127.0.0.1:1080:1080']);
    expect(services.postgres.ports).toBeUndefined();
    expect(services.redis.ports).toBeUndefined();
  });
});

describe('docker/Dockerfile and entrypoint', () => {
  it('enters through the entrypoint, whose npm scripts exist', () => {
    const dockerfile = read('docker/Dockerfile');
    expect(dockerfile).toMatch(/^ENTRYPOINT \["docker\/entrypoint\.sh"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["api"\]$/m);
    accessSync(join(root, 'docker/entrypoint.sh'), constants.X_OK);
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    const used = [...entrypoint.matchAll(/npm run --silent ([\w:-]+)/g)].map((m) => m[1]);
    expect(used.sort()).toEqual(['migrate', 'seed', 'start:api', 'start:worker']);
    for (const script of used) expect(scripts[script]).toBeDefined();
  });

  it('keeps node_modules, .data and secrets out of the build context', () => {
    const ignored = read('docker/Dockerfile.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.data', '.env', '.git']));
  });

  it('starts the mail catcher role on the ports given', async () => {
    const child = spawn(join(root, 'docker/entrypoint.sh'), ['mail-catcher'], {
      cwd: root,
      env: { ...process.env, MAIL_CATCHER_SMTP_PORT: '0', MAIL_CATCHER_HTTP_PORT: '0' },
    });
    try {
      const ready = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('ready')) resolve(out);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const http = Number(/http=(\d+)/.exec(ready)![1]);
      const res = await fetch(`http://127.0.0.1:${http}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<h1>Mail catcher</h1>');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
