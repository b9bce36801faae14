import type { AppConfig } from '@app/config';
import { SESSION_COOKIE } from '@app/identity';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

type Directives = Record<string, string[]>;

/**
 * The web app's Content-Security-Policy: nothing inline, nothing from elsewhere. Mail HTML is shown
 * in a sandboxed `srcdoc` frame, which inherits this policy (no scripts there either).
 */
export const APP_CSP: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'frame-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** The page that /chat-embed.js opens in a frame on a customer's site (CHAT_EMBED_ORIGINS). */
export const EMBED_CHAT_PATH = '/embed/chat';
/** The script customers' sites load to show the chat (apps/web/public/chat-embed.js). */
export const EMBED_SCRIPT_PATH = '/chat-embed.js';

/** Swagger UI (/api/docs) writes its own inline styles and SVG icons; its scripts are files of ours. */
export const DOCS_CSP: Directives = {
  ...APP_CSP,
  'style-src': ["'self'", "'unsafe-inline'"],
};

const csp = (directives: Directives) =>
  helmet.contentSecurityPolicy({ useDefaults: false, directives });

/**
 * Security headers on every response (helmet): the CSP above (Swagger UI its own), frame-ancestors
 * 'none' and X-Frame-Options DENY, nosniff, Referrer-Policy same-origin (the browser still sends
 * our own Origin on our writes, which the origin check needs), HSTS only behind HTTPS, and no
 * X-Powered-By.
 */
export function securityHeaders(config: AppConfig): RequestHandler[] {
  const headers = (frameguard: false | { action: 'deny' }, corp = 'same-origin') =>
    helmet({
      contentSecurityPolicy: false,
      frameguard,
      crossOriginResourcePolicy: { policy: corp as 'same-origin' | 'cross-origin' },
      referrerPolicy: { policy: 'same-origin' },
      strictTransportSecurity: config.COOKIE_SECURE,
      crossOriginEmbedderPolicy: false,
    });
  const common = headers({ action: 'deny' });
  const app = csp(APP_CSP);
  const docs = csp(DOCS_CSP);
  // The embedded support chat is the one page that customers' own sites (and only those) may frame.
  const embedders = (config.CHAT_EMBED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const embedCommon = headers(false);
  const embedScript = headers({ action: 'deny' }, 'cross-origin'); // loaded by those sites
  const embed = csp({
    ...APP_CSP,
    'frame-ancestors': embedders.length ? embedders : ["'none'"],
  });
  return [
    (req: Request, res: Response, next: NextFunction) =>
      (req.path === EMBED_CHAT_PATH && embedders.length
        ? embedCommon
        : req.path === EMBED_SCRIPT_PATH
          ? embedScript
          : common)(req, res, next),
    (req: Request, res: Response, next: NextFunction) =>
      (req.path === '/api/docs' || req.path.startsWith('/api/docs/')
        ? docs
        : req.path === EMBED_CHAT_PATH
          ? embed
          : app)(req, res, next),
  ];
}

export type OriginVerdict = { ok: true } | { ok: false; why: string };

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const originOf = (url: string | undefined): string | null => {
  if (!url || url === 'null') return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/**
 * May this request change state? Pure, so that every case is in a table (security.spec.ts).
 * A request authenticated by a bearer token is not a browser's cookie request: always yes. A
 * request with the session cookie must come from the helpdesk itself: its Origin (or, without
 * one, its Referer) must be PUBLIC_URL's or the server's own as the browser addressed it; a browser
 * always sends one of them on a write, so neither is a refusal. Without a session, a browser's
 * request from a foreign origin (login CSRF) is refused too; one without Origin is no browser's.
 */
export function originVerdict(req: {
  method: string;
  authorization?: string;
  hasSessionCookie: boolean;
  origin?: string;
  referer?: string;
  fetchSite?: string;
  allowed: string[];
}): OriginVerdict {
  if (!UNSAFE.has(req.method.toUpperCase())) return { ok: true };
  if (/^Bearer\s+\S/i.test(req.authorization ?? '')) return { ok: true };
  if (req.origin === 'null') return { ok: false, why: 'it came from an opaque origin (null)' };
  const from = req.origin ? originOf(req.origin) : originOf(req.referer);
  if (from)
    return req.allowed.includes(from) ? { ok: true } : { ok: false, why: `it came from ${from}` };
  if (req.hasSessionCookie)
    return { ok: false, why: 'it names no origin (no Origin or Referer header)' };
  if (req.fetchSite === 'cross-site') return { ok: false, why: 'it came from another site' };
  return { ok: true };
}

/**
 * Refuses cross-site writes made with the session cookie (CSRF): 403 `cross_site_request`, the
 * same error body as every other refusal. Sessions and cookies themselves are the identity lib's.
 */
export function originCheck(config: AppConfig): RequestHandler {
  const publicOrigin = originOf(config.PUBLIC_URL);
  return (req, res, next) => {
    const verdict = originVerdict({
      method: req.method,
      authorization: req.headers.authorization,
      hasSessionCookie: !!req.cookies?.[SESSION_COOKIE],
      origin: req.headers.origin,
      referer: req.headers.referer,
      fetchSite: req.get('sec-fetch-site'),
      allowed: [publicOrigin, `${req.protocol}://${req.get('host')}`].filter(
        (o): o is string => !!o,
      ),
    });
    if (verdict.ok) return next();
    res.status(403).json({
      statusCode: 403,
      error: 'Forbidden',
      code: 'cross_site_request',
      message: `This request was refused because ${verdict.why}: changes made with the session cookie must come from the helpdesk's own pages (${publicOrigin}).`,
    });
  };
}
