import { type CanActivate, type ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import type { TLSSocket } from 'node:tls';
import { identityFromPeerCertificate } from '@ketenpoort/pki';
import { GatewayError } from '../common/gateway-error.js';
import { ActiveConfiguration } from '../governance/active-configuration.js';
import { AuditLog } from '../audit/infrastructure/audit-log.repository.js';
import type { AuthenticatedPartner } from './authenticated-partner.js';
import { PartnerRevocations } from './partner-revocations.js';

type PartnerRequest = Request & { partner?: AuthenticatedPartner; correlationId?: string };
type Identity = ReturnType<typeof identityFromPeerCertificate>;
type Peer = ReturnType<TLSSocket['getPeerCertificate']>;
interface KnownPeer {
  peer: Peer;
  identity: Identity;
  partnersVersion?: string | null;
  partner?: ReturnType<ActiveConfiguration['partners']['resolve']>;
}

/**
 * Identifies the partner from its client certificate (organisation identifier + issuing CA), never from
 * the body. The TLS layer already refused certificates of unknown CAs; a trusted certificate that belongs
 * to no configured partner gets 403, and that refusal is audited.
 */
@Injectable()
export class PartnerGuard implements CanActivate {
  private readonly peers = new WeakMap<TLSSocket, KnownPeer>();

  constructor(
    private readonly active: ActiveConfiguration,
    private readonly audit: AuditLog,
    private readonly revocations: PartnerRevocations,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<PartnerRequest>();
    const socket = request.socket as TLSSocket;
    // Hot path: the certificate and identity of a keep-alive connection are read once per connection.
    let known = this.peers.get(socket);
    if (!known) {
      const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate(true) : null;
      if (!socket.authorized || !peer || !peer.raw) {
        throw new GatewayError('PARTNER.NO_CERTIFICATE', 'a client certificate of a trusted CA is required');
      }
      known = { peer, identity: identityFromPeerCertificate(peer) };
      this.peers.set(socket, known);
    }
    const { peer, identity } = known;
    // The listener refuses revoked certificates at connect and on CRL reload; a request racing a reload
    // is refused here, and this refusal reached HTTP, so it is audited.
    const revocation = this.revocations.status(peer.raw);
    if (revocation !== 'good') {
      const reason = revocation === 'revoked' ? 'PKI.CERT_REVOKED' : 'PKI.CRL_MISSING';
      await this.audit.appendAlone({
        event: 'partner.refused',
        at: new Date().toISOString(),
        correlationId: request.correlationId ?? 'none',
        certificateFingerprint: identity.fingerprint,
        reason,
      });
      throw new GatewayError(reason, 'this certificate is revoked or its CA has no current CRL');
    }
    // Resolved once per connection and partner table version (an approved change re-resolves).
    const version = this.active.versionsEnforced().partners;
    const partner =
      known.partnersVersion === version && known.partner !== undefined
        ? known.partner
        : this.active.partners.resolve(identity);
    known.partnersVersion = version;
    known.partner = partner;
    if (!partner) {
      await this.audit.appendAlone({
        event: 'partner.refused',
        at: new Date().toISOString(),
        correlationId: request.correlationId ?? 'none',
        certificateFingerprint: identity.fingerprint,
        reason: 'PARTNER.UNKNOWN',
      });
      throw new GatewayError('PARTNER.UNKNOWN', 'this certificate belongs to no configured partner');
    }
    request.partner = { partner, certificateFingerprint: identity.fingerprint };
    return true;
  }
}

/** The partner the PartnerGuard established. */
export const CurrentPartner = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedPartner => {
    const partner = context.switchToHttp().getRequest<PartnerRequest>().partner;
    if (!partner) throw new GatewayError('PARTNER.NO_CERTIFICATE', 'a client certificate is required');
    return partner;
  },
);
