import type { CookieOptions, Response } from 'express';
import type { IssuedTokens } from '@app/contracts';

export const REFRESH_COOKIE = 'refresh_token';
/** The cookie only travels to the auth endpoints that need it. */
const COOKIE_PATH = '/auth';

function options(secure: boolean): CookieOptions {
  return { httpOnly: true, secure, sameSite: 'lax', path: COOKIE_PATH };
}

export function setRefreshCookie(res: Response, tokens: IssuedTokens, secure: boolean): void {
  res.cookie(REFRESH_COOKIE, tokens.refresh_token, { ...options(secure), expires: new Date(tokens.refresh_expires_at) });
}

export function clearRefreshCookie(res: Response, secure: boolean): void {
  res.clearCookie(REFRESH_COOKIE, options(secure));
}

/** What the client sees: the refresh token never appears in a body. */
export function publicTokens(tokens: IssuedTokens): { access_token: string; token_type: 'bearer'; expires_in: number } {
  return { access_token: tokens.access_token, token_type: tokens.token_type, expires_in: tokens.expires_in };
}
