import type { Request, Response } from 'express';
import { GatewayError } from '../common/gateway-error.js';
import type { SafeHtml } from './console-html.js';

const MAX_FORM_BYTES = 256 * 1024;

/** Cookies of a request (no cookie-parser in the gateway). */
export function readCookies(request: Request): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (request.header('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 1) continue;
    const name = part.slice(0, at).trim();
    try {
      cookies[name] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      // A malformed cookie value is ignored, like an absent one.
    }
  }
  return cookies;
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  sameSite: 'Strict' | 'Lax';
  httpOnly?: boolean;
}

/** Secure, Path=/, no Domain: the `__Host-` prefix rules. */
export function setCookie(response: Response, name: string, value: string, options: CookieOptions): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'Secure', `SameSite=${options.sameSite}`];
  if (options.httpOnly !== false) parts.push('HttpOnly');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  response.append('Set-Cookie', parts.join('; '));
}

export function clearCookie(response: Response, name: string): void {
  setCookie(response, name, '', { maxAgeSeconds: 0, sameSite: 'Strict' });
}

/** Reads an `application/x-www-form-urlencoded` body (the gateway's body parser only reads JSON). */
export async function readForm(request: Request): Promise<URLSearchParams> {
  if (!request.is('application/x-www-form-urlencoded')) {
    throw new GatewayError('CONSOLE.BAD_FORM', 'the form must be sent as application/x-www-form-urlencoded');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new GatewayError('CONSOLE.BAD_FORM', 'the form is too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Headers of every console answer: nothing from elsewhere, no framing, no caching, no referrer. */
export function consoleHeaders(response: Response): void {
  response.set({
    'Content-Security-Policy':
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
}

export function sendPage(response: Response, page: SafeHtml, status = 200): void {
  consoleHeaders(response);
  response.status(status).type('text/html; charset=utf-8').send(page.text);
}

/** A local console path to go back to after sign-in or a language switch; anything else becomes /console. */
export function localConsolePath(value: unknown): string {
  if (typeof value !== 'string') return '/console';
  return /^\/console(\/[A-Za-z0-9._~%/-]*)?(\?[A-Za-z0-9._~%&=+:,-]*)?$/.test(value) && !value.includes('//')
    ? value
    : '/console';
}
