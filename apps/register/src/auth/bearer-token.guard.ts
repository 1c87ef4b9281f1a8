import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  type LoggerService,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { RegisterError } from '../common/register.error.js';
import { REGISTER_CONFIG, REGISTER_LOGGER, type RegisterConfig } from '../register.config.js';

const ROLE_METADATA = 'ketenpoort:role';

/** The role a bearer token must carry in its `roles` claim (use with `BearerTokenGuard`). */
export const RequireRole = (role: string) => SetMetadata(ROLE_METADATA, role);

/** Asymmetric algorithms only: a shared secret could not tell issuer and verifier apart. */
const ALGORITHMS = ['EdDSA', 'ES256', 'ES384', 'PS256', 'RS256'];

/** Verifies `Authorization: Bearer <JWT>` with jose against the configured issuer, audience and JWKS. */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  private readonly keys: ReturnType<typeof createLocalJWKSet>;

  constructor(
    @Inject(REGISTER_CONFIG) private readonly config: RegisterConfig,
    private readonly reflector: Reflector,
    @Inject(REGISTER_LOGGER) private readonly logger: LoggerService,
  ) {
    this.keys = createLocalJWKSet(config.analystTokens.jwks);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const role = this.reflector.getAllAndOverride<string | undefined>(ROLE_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(request.headers.authorization ?? '');
    if (!match) throw new RegisterError('AUTH.TOKEN_MISSING', 'a bearer token is required');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1], this.keys, {
        algorithms: ALGORITHMS,
        issuer: this.config.analystTokens.issuer,
        audience: this.config.analystTokens.audience,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      this.logger.warn({
        message: 'bearer token refused',
        reason: (error as { code?: string }).code ?? 'unknown',
      });
      throw new RegisterError('AUTH.TOKEN_INVALID', 'the bearer token is invalid or expired');
    }
    const roles = Array.isArray(payload.roles) ? payload.roles : [];
    if (!role || !roles.includes(role)) {
      this.logger.warn({ message: 'bearer token lacks role', subject: payload.sub, role });
      throw new RegisterError('AUTH.ROLE_MISSING', `the token lacks the role ${role}`);
    }
    return true;
  }
}
