import { Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { GatewayError } from '../../common/gateway-error.js';
import { OnListener } from '../../common/listener.js';
import { GATEWAY_CONFIG } from '../../common/tokens.js';
import type { GatewayConfig } from '../../gateway.config.js';
import { ConsoleExceptionFilter } from '../console-exception.filter.js';
import { ApiConsoleAnswer, ApiConsolePages } from '../console-openapi.decorators.js';
import { html } from '../console-html.js';
import { clearCookie, localConsolePath, readCookies, sendPage, setCookie } from '../console-http.js';
import { LANGUAGE_COOKIE, LANGUAGES } from '../console-i18n.js';
import { layout, NAV } from '../console-layout.js';
import { ConsoleAuth } from './console-auth.js';
import { ConsoleOidcClient } from './console-oidc.client.js';
import { ConsoleSessionStore, SESSION_COOKIE, SIGN_IN_COOKIE } from './console-session.store.js';

const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\]):(\d{1,5})$/;

/**
 * Sign-in (OpenID Connect code flow with PKCE), sign-out and the language switch. The session cookie is
 * SameSite=Strict; the short-lived sign-in cookie is Lax, because the issuer's redirect back is a
 * cross-site navigation, and the callback answers with a page that continues by a same-site navigation
 * (a Strict cookie set in a cross-site redirect chain would not be sent on the next hop).
 */
@Controller('console')
@OnListener('admin')
@UseFilters(ConsoleExceptionFilter)
@ApiConsolePages()
export class ConsoleSignInHttpController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly auth: ConsoleAuth,
    private readonly oidc: ConsoleOidcClient,
    private readonly sessions: ConsoleSessionStore,
  ) {}

  @Get()
  @ApiConsoleAnswer('redirect')
  home(@Req() request: Request, @Res() response: Response): void {
    const ctx = this.auth.context(request);
    if (!ctx.session) return response.redirect(303, '/console/signin');
    const first = NAV.find((item) => item.roles.some((r) => ctx.session!.actor.roles.includes(r)));
    response.redirect(303, first?.href ?? '/console/signin');
  }

  @Get('signin')
  signInPage(@Req() request: Request, @Res() response: Response, @Query('returnTo') returnTo?: string): void {
    const ctx = this.auth.context(request);
    const target = `/console/login?returnTo=${encodeURIComponent(localConsolePath(returnTo))}`;
    sendPage(
      response,
      layout(
        ctx,
        ctx.t.signInTitle,
        html`<p>${ctx.t.signInText}</p>
          <p><a class="button" href="${target}">${ctx.t.signIn}</a></p>`,
      ),
    );
  }

  /** Starts the code flow: state, nonce and PKCE verifier stay on the server, behind the sign-in cookie. */
  @Get('login')
  @ApiConsoleAnswer('redirect')
  async login(@Req() request: Request, @Res() response: Response, @Query('returnTo') returnTo?: string) {
    this.auth.context(request);
    const redirectUri = `${this.base(request)}/callback`;
    const start = await this.oidc.start(redirectUri);
    const id = this.sessions.begin({
      state: start.state,
      nonce: start.nonce,
      codeVerifier: start.codeVerifier,
      returnTo: localConsolePath(returnTo),
      redirectUri,
    });
    setCookie(response, SIGN_IN_COOKIE, id, { sameSite: 'Lax', maxAgeSeconds: 600 });
    response.set('Cache-Control', 'no-store').redirect(303, start.url);
  }

  @Get('callback')
  async callback(@Req() request: Request, @Res() response: Response) {
    const ctx = this.auth.context(request);
    const pending = this.sessions.finish(readCookies(request)[SIGN_IN_COOKIE]);
    clearCookie(response, SIGN_IN_COOKIE);
    if (!pending) throw new GatewayError('CONSOLE.SIGN_IN_FAILED', ctx.t.signInFailed);
    const query = request.originalUrl.includes('?')
      ? request.originalUrl.slice(request.originalUrl.indexOf('?'))
      : '';
    let actor;
    try {
      actor = await this.oidc.finish(new URL(`${pending.redirectUri}${query}`), pending);
    } catch {
      throw new GatewayError('CONSOLE.SIGN_IN_FAILED', ctx.t.signInFailed);
    }
    if (actor.roles.length === 0) throw new GatewayError('AUTH.ROLE_MISSING', ctx.t.noRole);
    this.sessions.destroy(readCookies(request)[SESSION_COOKIE]);
    const { id, session } = this.sessions.create(actor);
    setCookie(response, SESSION_COOKIE, id, { sameSite: 'Strict' });
    const next = pending.returnTo;
    sendPage(
      response,
      layout(
        { ...ctx, session, path: next },
        ctx.t.signedIn,
        html`<p><a class="button" id="continue" href="${next}">${ctx.t.continue}</a></p>`,
        { scripts: ['continue.js'] },
      ),
    );
  }

  @Post('logout')
  @ApiConsoleAnswer('redirect')
  async logout(@Req() request: Request, @Res() response: Response) {
    await this.auth.form(request, ['privacy-officer', 'auditor', 'integrator']);
    this.sessions.destroy(readCookies(request)[SESSION_COOKIE]);
    clearCookie(response, SESSION_COOKIE);
    response.redirect(303, '/console/signin');
  }

  /** Only a preference cookie: harmless as a GET, and usable before sign-in. */
  @Get('language/:language')
  @ApiConsoleAnswer('redirect')
  language(
    @Param('language') language: string,
    @Query('next') next: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    this.auth.context(request);
    if (!(LANGUAGES as readonly string[]).includes(language))
      throw new GatewayError('CONSOLE.NOT_FOUND', 'not found');
    setCookie(response, LANGUAGE_COOKIE, language, {
      sameSite: 'Strict',
      maxAgeSeconds: 365 * 24 * 3600,
      httpOnly: false,
    });
    response.redirect(303, localConsolePath(next));
  }

  /** The console's own address: the configured one, else the loopback address the browser used. */
  private base(request: Request): string {
    const configured = this.config.console?.publicUrl;
    if (configured) return configured.replace(/\/$/, '');
    const host = request.header('host') ?? '';
    const match = LOOPBACK.exec(host);
    if (!match || Number(match[2]) !== request.socket.localPort) {
      throw new GatewayError('CONSOLE.BAD_FORM', 'console.publicUrl is not configured for this host');
    }
    return `https://${host}/console`;
  }
}
