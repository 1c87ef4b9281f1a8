import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { GatewayError } from '../common/gateway-error.js';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../gateway.config.js';
import { ADMIN_ROLES, type AdminActor, type AdminRole } from './admin-actor.js';

const ROLES_METADATA = 'ketenpoort:roles';

/** The roles that may call a route (any of them). */
export const Roles = (...roles: AdminRole[]) => SetMetadata(ROLES_METADATA, roles);

type AdminRequest = Request & { admin?: AdminActor };

/**
 * Verifies the bearer token with jose against the configured issuer, audience and JWKS (file or URL),
 * then checks the route's roles. 401 for a missing, malformed, expired or wrongly signed token; 403 for
 * a valid token without the role.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly reflector: Reflector,
  ) {
    const { jwks, jwksUrl } = config.admin.tokens;
    this.keys = jwksUrl ? createRemoteJWKSet(new URL(jwksUrl)) : createLocalJWKSet(jwks!);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const header = request.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header);
    if (!match) throw new GatewayError('AUTH.TOKEN_MISSING', 'a bearer token is required');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(match[1], this.keys, {
        issuer: this.config.admin.tokens.issuer,
        audience: this.config.admin.tokens.audience,
        algorithms: ['EdDSA', 'ES256', 'RS256', 'PS256'],
        requiredClaims: ['exp', 'sub'],
      }));
    } catch {
      throw new GatewayError('AUTH.TOKEN_INVALID', 'the bearer token is invalid or expired');
    }
    const roles = (Array.isArray(payload.roles) ? payload.roles : []).filter((r): r is AdminRole =>
      (ADMIN_ROLES as readonly unknown[]).includes(r),
    );
    const scope = payload.partnerScope;
    const actor: AdminActor = {
      sub: String(payload.sub),
      roles,
      partnerScope: typeof scope === 'string' ? [scope] : Array.isArray(scope) ? scope.map(String) : null,
    };
    const wanted = this.reflector.getAllAndOverride<AdminRole[] | undefined>(ROLES_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (wanted && !wanted.some((role) => roles.includes(role))) {
      throw new GatewayError('AUTH.ROLE_MISSING', `this action needs one of the roles: ${wanted.join(', ')}`);
    }
    request.admin = actor;
    return true;
  }
}

/** The verified caller of an admin route. */
export const CurrentAdmin = createParamDecorator((_: unknown, context: ExecutionContext): AdminActor => {
  const actor = context.switchToHttp().getRequest<AdminRequest>().admin;
  if (!actor) throw new GatewayError('AUTH.TOKEN_MISSING', 'a bearer token is required');
  return actor;
});
