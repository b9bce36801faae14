import { MailChannel1763780000000 } from './1763780000000-MailChannel';

/** The mail channel's migrations, to be listed after the core's in libs/database MIGRATIONS. */
export const MAIL_MIGRATIONS = [MailChannel1763780000000];
