import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AdminActor } from '../../admin/admin-actor.js';
import { GATEWAY_CONFIG } from '../../common/tokens.js';
import type { GatewayConfig } from '../../gateway.config.js';
import { DEFAULT_CONSOLE_SESSION } from '../console.config.js';

/** A signed-in officer. The browser holds only the random session id, in an httpOnly cookie. */
export interface ConsoleSession {
  actor: AdminActor;
  /** Synchroniser token: every POST form carries it in a hidden field. */
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  /** One message for the next page (post/redirect/get). */
  flash?: { kind: 'ok' | 'error'; text: string };
}

/** A sign-in in progress: what the callback must find again (state, nonce, PKCE verifier). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  redirectUri: string;
  createdAt: number;
}

export const SESSION_COOKIE = '__Host-kp_console_session';
export const SIGN_IN_COOKIE = '__Host-kp_console_signin';
const SIGN_IN_TTL_MS = 10 * 60_000;
const MAX_SESSIONS = 10_000;
const MAX_PENDING = 10_000;

const digest = (id: string) => createHash('sha256').update(id).digest('base64url');

/**
 * Sessions and pending sign-ins in this instance's memory, keyed by the SHA-256 of the cookie value (a
 * memory dump does not yield usable cookies). Several instances behind one address need sticky sessions;
 * a restart signs everyone out — acceptable for a console (ADR 0018).
 */
@Injectable()
export class ConsoleSessionStore {
  private readonly sessions = new Map<string, ConsoleSession>();
  private readonly pending = new Map<string, PendingSignIn>();
  private readonly idleMs: number;
  private readonly maxMs: number;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.idleMs = config.console?.sessionIdleMs ?? DEFAULT_CONSOLE_SESSION.idleMs;
    this.maxMs = config.console?.sessionMaxMs ?? DEFAULT_CONSOLE_SESSION.maxMs;
  }

  /** A fresh session (a new id at every sign-in: no fixation); returns the cookie value. */
  create(actor: AdminActor, now = Date.now()): { id: string; session: ConsoleSession } {
    this.sweep(now);
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    const session: ConsoleSession = {
      actor,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
    this.sessions.set(digest(id), session);
    return { id, session };
  }

  /** The live session of a cookie value, touched; undefined when unknown, idle too long or too old. */
  get(id: string | undefined, now = Date.now()): ConsoleSession | undefined {
    if (!id) return undefined;
    const key = digest(id);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    if (now - session.lastSeenAt > this.idleMs || now - session.createdAt > this.maxMs) {
      this.sessions.delete(key);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  destroy(id: string | undefined): void {
    if (id) this.sessions.delete(digest(id));
  }

  /** Remembers a sign-in for ten minutes; returns the cookie value that finds it again. */
  begin(signIn: Omit<PendingSignIn, 'createdAt'>, now = Date.now()): string {
    for (const [key, value] of this.pending)
      if (now - value.createdAt > SIGN_IN_TTL_MS) this.pending.delete(key);
    if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    this.pending.set(digest(id), { ...signIn, createdAt: now });
    return id;
  }

  /** The pending sign-in of a cookie value, removed (single use). */
  finish(id: string | undefined, now = Date.now()): PendingSignIn | undefined {
    if (!id) return undefined;
    const key = digest(id);
    const signIn = this.pending.get(key);
    this.pending.delete(key);
    return signIn && now - signIn.createdAt <= SIGN_IN_TTL_MS ? signIn : undefined;
  }

  private sweep(now: number): void {
    for (const [key, s] of this.sessions) {
      if (now - s.lastSeenAt > this.idleMs || now - s.createdAt > this.maxMs) this.sessions.delete(key);
    }
  }
}

/** Constant-time comparison of the form's CSRF token with the session's. */
export function csrfMatches(session: ConsoleSession, given: string | null): boolean {
  if (!given) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
