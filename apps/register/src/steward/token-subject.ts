import { decodeJwt } from 'jose';

/**
 * The `sub` of the bearer token of a request that `BearerTokenGuard` has already verified (the guard does
 * not hand its payload on); `unknown` when the token names no subject.
 */
export function tokenSubject(authorization: string | undefined): string {
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization ?? '');
  if (!match) return 'unknown';
  const sub = decodeJwt(match[1]).sub;
  return typeof sub === 'string' && sub.length > 0 ? sub.slice(0, 200) : 'unknown';
}
