/** The inbound mail queue: one job per stored raw mail; the payload is its id only. */
export const INBOUND_QUEUE = 'mail-inbound';
export const FILE_MAIL_JOB = 'file-mail';
export interface FileMailJobData {
  inboundMailId: string;
}
/** Deterministic, so a mail stored twice (retry of the receiver) is filed once. No ":" (BullMQ 6). */
export const fileMailJobId = (id: string) => `inbound-${id}`;
