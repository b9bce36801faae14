/**
 * The mail benchmark's server side, as its own process (run with `node -r ./scripts/swc-register.cjs`,
 * which gives Nest its decorator metadata): the api + worker of the e-mail channel on a fresh
 * database. Prints `mail-stack ready {json}` and tears everything down on SIGTERM.
 */
import { startMailStack } from '../e2e/mail-harness';

async function main(): Promise<void> {
  const env = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
  const stack = await startMailStack(env, { smtpUrl: process.argv[3], api: false });
  const dbUrl = (stack.config.DATABASE_URL as string).toString();
  process.stdout.write(
    `mail-stack ready ${JSON.stringify({ smtpPort: stack.smtpPort, dbUrl, acme: stack.ids.acme })}\n`,
  );
  const stop = () =>
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
