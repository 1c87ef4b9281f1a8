import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import * as oidc from 'openid-client';
import { ADMIN_ROLES, type AdminActor, type AdminRole } from '../../admin/admin-actor.js';
import { GatewayError } from '../../common/gateway-error.js';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../../common/tokens.js';
import type { GatewayConfig } from '../../gateway.config.js';
import type { ConsoleConfig } from '../console.config.js';
import { fetchTrusting } from './tls-fetch.js';

/** What the browser is sent to, and what the callback must check. */
export interface AuthorizationStart {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * The console as an OpenID Connect relying party (openid-client): discovery of the configured issuer,
 * authorization code flow with PKCE (S256), state and nonce, a confidential client, and the ID token
 * verified — signature against the issuer's JWKS (non-repudiation checks on), issuer, audience, expiry and
 * nonce. Roles come from the `roles` claim and the partner scope from `partnerScope`, as in admin tokens.
 */
@Injectable()
export class ConsoleOidcClient {
  private configuration?: Promise<oidc.Configuration>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: LoggerService,
  ) {}

  get enabled(): boolean {
    return !!this.config.console;
  }

  private settings(): ConsoleConfig {
    if (!this.config.console) throw new GatewayError('CONSOLE.OFF', 'the console is not configured');
    return this.config.console;
  }

  /** Discovery once (retried after a failure, so that a late issuer does not need a gateway restart). */
  private discover(): Promise<oidc.Configuration> {
    if (!this.configuration) {
      const settings = this.settings();
      const customFetch = fetchTrusting(settings.issuerCaPems ?? []);
      this.configuration = (async () => {
        const discovered = await oidc.discovery(
          new URL(settings.issuer),
          settings.clientId,
          undefined,
          oidc.ClientSecretBasic(settings.clientSecret),
          { [oidc.customFetch]: customFetch as unknown as oidc.CustomFetch },
        );
        const advertised = discovered.serverMetadata().id_token_signing_alg_values_supported ?? [];
        const alg = settings.idTokenSigningAlg ?? (advertised.includes('RS256') ? 'RS256' : advertised[0]);
        const configuration = new oidc.Configuration(
          discovered.serverMetadata(),
          settings.clientId,
          alg ? { id_token_signed_response_alg: alg } : undefined,
          oidc.ClientSecretBasic(settings.clientSecret),
        );
        configuration[oidc.customFetch] = customFetch as unknown as oidc.CustomFetch;
        oidc.enableNonRepudiationChecks(configuration);
        return configuration;
      })();
      this.configuration.catch((error: unknown) => {
        this.configuration = undefined;
        this.logger.warn(
          { msg: 'console: issuer discovery failed', errorCode: (error as { code?: string })?.code ?? null },
          'Console',
        );
      });
    }
    return this.configuration;
  }

  async start(redirectUri: string): Promise<AuthorizationStart> {
    const configuration = await this.discover().catch(() => {
      throw new GatewayError('CONSOLE.ISSUER_UNAVAILABLE', 'the sign-in service cannot be reached');
    });
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: 'openid',
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.toString(), state, nonce, codeVerifier };
  }

  /** Redeems the code; returns the verified actor. Every failure is one refusal with its reason logged. */
  async finish(
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<AdminActor> {
    const configuration = await this.discover();
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      this.logger.warn(
        {
          msg: 'console: sign-in refused',
          errorCode:
            (error as { code?: string; error?: string })?.error ?? (error as { code?: string })?.code ?? null,
        },
        'Console',
      );
      throw new GatewayError('CONSOLE.SIGN_IN_FAILED', 'sign-in failed');
    }
    if (!claims?.sub) throw new GatewayError('CONSOLE.SIGN_IN_FAILED', 'sign-in failed');
    const roles = (Array.isArray(claims.roles) ? claims.roles : []).filter((r): r is AdminRole =>
      (ADMIN_ROLES as readonly unknown[]).includes(r),
    );
    const scope = claims.partnerScope;
    return {
      sub: String(claims.sub),
      roles,
      partnerScope: typeof scope === 'string' ? [scope] : Array.isArray(scope) ? scope.map(String) : null,
    };
  }
}
