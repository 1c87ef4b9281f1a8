import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { AdminActor, AdminRole } from '../../admin/admin-actor.js';
import { GatewayError } from '../../common/gateway-error.js';
import { readCookies, readForm } from '../console-http.js';
import { labels, languageOf } from '../console-i18n.js';
import type { PageContext } from '../console-layout.js';
import { ConsoleOidcClient } from './console-oidc.client.js';
import {
  csrfMatches,
  ConsoleSessionStore,
  SESSION_COOKIE,
  type ConsoleSession,
} from './console-session.store.js';

/** Thrown when a page needs a session: the filter sends the browser to the sign-in page. */
export class ConsoleSignInRequired extends Error {
  constructor(readonly returnTo: string) {
    super('sign-in required');
  }
}

export interface SignedInContext extends PageContext {
  session: ConsoleSession;
  actor: AdminActor;
}

/** Reads the session of a console request and checks roles and CSRF tokens. */
@Injectable()
export class ConsoleAuth {
  constructor(
    private readonly sessions: ConsoleSessionStore,
    private readonly oidc: ConsoleOidcClient,
  ) {}

  /** The context of any console page (signed in or not). */
  context(request: Request): PageContext {
    const language = languageOf(request);
    if (!this.oidc.enabled) throw new GatewayError('CONSOLE.OFF', labels(language).consoleOff);
    return {
      language,
      t: labels(language),
      session: this.sessions.get(readCookies(request)[SESSION_COOKIE]),
      path: request.originalUrl.slice(0, 500),
    };
  }

  /** A signed-in context with one of `roles`; a page without a session goes to sign-in. */
  require(request: Request, roles: AdminRole[]): SignedInContext {
    const ctx = this.context(request);
    if (!ctx.session) throw new ConsoleSignInRequired(request.method === 'GET' ? ctx.path : '/console');
    if (!roles.some((role) => ctx.session!.actor.roles.includes(role))) {
      throw new GatewayError('AUTH.ROLE_MISSING', ctx.t.forbidden);
    }
    return { ...ctx, session: ctx.session, actor: ctx.session.actor };
  }

  /** A POSTed form of a signed-in user, after the CSRF check. */
  async form(request: Request, roles: AdminRole[]): Promise<{ ctx: SignedInContext; form: URLSearchParams }> {
    const ctx = this.require(request, roles);
    const form = await readForm(request);
    if (!csrfMatches(ctx.session, form.get('_csrf'))) throw new GatewayError('CONSOLE.CSRF', ctx.t.csrf);
    return { ctx, form };
  }
}
