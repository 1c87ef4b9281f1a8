import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { TLSSocket } from 'node:tls';
import { RegisterError } from '../common/register.error.js';
import { REGISTER_CONFIG, type RegisterConfig } from '../register.config.js';

/** The common name of the client certificate that passed `GatewayClientGuard`. */
export const CLIENT_NAME = Symbol('ketenpoort.register.client-name');

/**
 * The TLS handshake already required a certificate from a configured client CA; this guard also requires
 * the certificate to name the gateway, so another holder of a certificate from that CA is refused (403).
 */
@Injectable()
export class GatewayClientGuard implements CanActivate {
  private readonly allowed: ReadonlySet<string>;

  constructor(@Inject(REGISTER_CONFIG) config: RegisterConfig) {
    this.allowed = new Set(config.tls.allowedClientCommonNames);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ socket: TLSSocket; [CLIENT_NAME]?: string }>();
    const socket = request.socket;
    const certificate =
      socket.authorized && typeof socket.getPeerCertificate === 'function'
        ? socket.getPeerCertificate()
        : null;
    const commonName = certificate?.subject?.CN;
    if (typeof commonName !== 'string' || !this.allowed.has(commonName)) {
      throw new RegisterError(
        'INTAKE.CLIENT_NOT_ALLOWED',
        'client certificate is not allowed to deliver records',
      );
    }
    request[CLIENT_NAME] = commonName;
    return true;
  }
}
