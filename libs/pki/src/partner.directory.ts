import { certificateFingerprint } from './certificate-fingerprint.js';
import type { CertificateIdentity } from './certificate-identity.js';
import type { PartnerConfig } from './partners-file.loader.js';
import { PkiError } from './pki.error.js';

/**
 * Resolves a verified peer certificate to a configured partner by (OIN, issuing CA fingerprint).
 * A renewed certificate or a second certificate of the same partner resolves alike; a certificate of
 * a trusted CA with an OIN no partner of that CA has resolves to null (the caller answers 403).
 *
 * @example
 * const directory = new PartnerDirectory(partners, { dev: caPem });
 * tls.createServer({ requestCert: true, rejectUnauthorized: true, ca: directory.caBundle(), ... });
 * directory.resolve(identityFromPeerCertificate(socket.getPeerCertificate(true)));
 */
export class PartnerDirectory {
  private readonly byIdentity = new Map<string, PartnerConfig>();
  private readonly partnersById = new Map<string, PartnerConfig>();
  private readonly caPems: string[];

  constructor(partners: PartnerConfig[], caCertsByName: Record<string, string>) {
    const fingerprints = new Map<string, string>();
    for (const [name, pem] of Object.entries(caCertsByName))
      fingerprints.set(name, certificateFingerprint(pem));
    this.caPems = [...new Set(Object.values(caCertsByName))];
    for (const partner of partners) {
      const caFingerprint = fingerprints.get(partner.ca);
      if (caFingerprint === undefined) {
        throw new PkiError(
          'PKI.CA_UNKNOWN',
          `partner '${partner.id}': no certificate for CA '${partner.ca}'`,
        );
      }
      if (this.partnersById.has(partner.id)) {
        throw new PkiError('PKI.PARTNERS_INVALID', `duplicate partner id '${partner.id}'`);
      }
      const key = identityKey(partner.oin, caFingerprint);
      if (this.byIdentity.has(key)) {
        throw new PkiError(
          'PKI.PARTNERS_INVALID',
          `partner '${partner.id}': same OIN and CA as another partner`,
        );
      }
      this.byIdentity.set(key, partner);
      this.partnersById.set(partner.id, partner);
    }
  }

  /** The partner whose OIN and issuing CA match, or null. */
  resolve(identity: CertificateIdentity): PartnerConfig | null {
    if (!identity.organisationIdentifier || !identity.issuerFingerprint) return null;
    return (
      this.byIdentity.get(identityKey(identity.organisationIdentifier, identity.issuerFingerprint)) ?? null
    );
  }

  byId(id: string): PartnerConfig | undefined {
    return this.partnersById.get(id);
  }

  /** PEMs of every trusted CA, for the TLS `ca` option. */
  caBundle(): string[] {
    return [...this.caPems];
  }
}

function identityKey(oin: string, caFingerprint: string): string {
  return `${oin}|${caFingerprint.toLowerCase()}`;
}
