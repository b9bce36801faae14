import { invalid, TtlCache } from '@app/config';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';

/** How long a chat token may be exchanged for a session. */
export const CHAT_TOKEN_TTL_S = 3600;

/**
 * Signed chat tokens, for the chat a customer's own site embeds: `<payload>.<HMAC-SHA256>` in
 * base64url, the payload `{u: user id, exp: unix seconds}`, signed with the newest key of
 * `chat_token_keys` (made by the migration, shared by every api process, never in the code).
 */
@Injectable()
export class ChatTokens {
  private readonly keys = new TtlCache<string, Buffer>(60_000);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async sign(userId: string, now = Date.now()): Promise<{ token: string; expiresAt: string }> {
    const exp = Math.floor(now / 1000) + CHAT_TOKEN_TTL_S;
    const payload = Buffer.from(JSON.stringify({ u: userId, exp })).toString('base64url');
    return {
      token: `${payload}.${this.mac(await this.key(), payload)}`,
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  }

  /** The user a token names; a 400 that says why when it is not good. */
  async verify(token: string, now = Date.now()): Promise<string> {
    const [payload, mac] = token.split('.');
    const expected = payload && mac ? this.mac(await this.key(), payload) : '';
    if (
      !expected ||
      mac.length !== expected.length ||
      !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))
    )
      throw invalid('bad_chat_token', 'The chat token is not one the helpdesk signed.');
    const { u, exp } = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
      u: string;
      exp: number;
    };
    if (exp * 1000 <= now)
      throw invalid('chat_token_expired', 'The chat token has expired: ask for a new one.');
    return u;
  }

  private mac(key: Buffer, payload: string): string {
    return createHmac('sha256', key).update(payload).digest('base64url');
  }

  private async key(): Promise<Buffer> {
    const hit = this.keys.get('current');
    if (hit) return hit;
    const [row] = await this.db.query(
      `SELECT secret FROM chat_token_keys ORDER BY id DESC LIMIT 1`,
    );
    this.keys.set('current', row.secret);
    return row.secret;
  }
}
