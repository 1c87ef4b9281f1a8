import { X509Certificate } from 'node:crypto';
import { PkiError } from './pki.error.js';
import { issuerNameHexOfCa, parseCrl, serialAndIssuerOf, verifyCrl } from './revocation-list.js';

/** Why a CRL was not taken: its position in the input and a stable code (no contents). */
export interface CrlProblem {
  index: number;
  code: string;
}

/**
 * The revoked certificates of a set of trusted CAs, from CRLs each verified against its CA. Only the
 * CRLs in `acceptedCrlPems` should be handed to TLS; a trusted CA without an accepted CRL is listed in
 * `casWithoutCrl` (with CRL checking on, OpenSSL refuses every certificate of such a CA).
 *
 * @example
 * const checker = RevocationChecker.fromCrls([crlPem], [ca.certPem]);
 * checker.isRevoked(peer.raw); // true when the CA's CRL lists the certificate's serial
 */
export class RevocationChecker {
  private constructor(
    private readonly revoked: ReadonlySet<string>,
    private readonly coveredIssuers: ReadonlySet<string>,
    readonly acceptedCrlPems: readonly string[],
    readonly problems: readonly CrlProblem[],
    /** Subject CN (or fingerprint) of each trusted CA no accepted CRL covers. */
    readonly casWithoutCrl: readonly string[],
    readonly revokedCount: number,
  ) {}

  /** A checker that knows no revocation (revocation checking off). */
  static empty(): RevocationChecker {
    return new RevocationChecker(new Set(), new Set(), [], [], [], 0);
  }

  /**
   * Verifies each CRL against the trusted CA that issued it; keeps the newest per CA (highest CRL
   * number, then latest thisUpdate).
   *
   * @example
   * const { acceptedCrlPems, problems } = RevocationChecker.fromCrls(crlPems, caBundle);
   */
  static fromCrls(
    crlPems: readonly string[],
    caPems: readonly string[],
    now: Date = new Date(),
  ): RevocationChecker {
    const cas = caPems.map((pem) => ({ pem, nameHex: issuerNameHexOfCa(pem) }));
    const newest = new Map<string, { pem: string; number: number; thisUpdate: number; serials: string[] }>();
    const problems: CrlProblem[] = [];
    crlPems.forEach((crlPem, index) => {
      let issuer: string;
      try {
        issuer = parseCrl(crlPem).issuerNameHex;
      } catch {
        problems.push({ index, code: 'PKI.CRL_INVALID' });
        return;
      }
      const candidates = cas.filter((ca) => issuer === ca.nameHex);
      if (candidates.length === 0) {
        problems.push({ index, code: 'PKI.CRL_WRONG_ISSUER' });
        return;
      }
      let lastCode = 'PKI.CRL_SIGNATURE_INVALID';
      for (const ca of candidates) {
        try {
          const crl = verifyCrl(crlPem, ca.pem, now);
          const current = newest.get(ca.pem);
          const number = crl.crlNumber ?? -1;
          if (
            !current ||
            number > current.number ||
            (number === current.number && crl.thisUpdate.getTime() > current.thisUpdate)
          ) {
            newest.set(ca.pem, {
              pem: crlPem,
              number,
              thisUpdate: crl.thisUpdate.getTime(),
              serials: crl.revokedSerials.map((s) => `${ca.nameHex}|${s}`),
            });
          }
          return;
        } catch (error) {
          lastCode = error instanceof PkiError ? error.code : 'PKI.CRL_INVALID';
        }
      }
      problems.push({ index, code: lastCode });
    });
    const revoked = new Set([...newest.values()].flatMap((c) => c.serials));
    const casWithoutCrl = cas
      .filter((ca) => !newest.has(ca.pem))
      .map((ca) => {
        const cert = new X509Certificate(ca.pem);
        return /CN=([^\n]+)/.exec(cert.subject)?.[1] ?? cert.fingerprint256;
      });
    const coveredIssuers = new Set(cas.filter((ca) => newest.has(ca.pem)).map((ca) => ca.nameHex));
    return new RevocationChecker(
      revoked,
      coveredIssuers,
      [...newest.values()].map((c) => c.pem),
      problems,
      casWithoutCrl,
      revoked.size,
    );
  }

  /**
   * True when an accepted CRL of the certificate's issuer lists its serial.
   *
   * @example
   * if (checker.isRevoked(socket.getPeerCertificate().raw)) socket.destroy();
   */
  isRevoked(certDer: Buffer): boolean {
    return this.status(certDer) === 'revoked';
  }

  /**
   * `revoked` when an accepted CRL lists the certificate, `no-crl` when no accepted CRL covers its
   * issuer (with revocation checking on: refuse), else `good`.
   *
   * @example
   * if (checker.status(peer.raw) !== 'good') socket.destroy();
   */
  status(certDer: Buffer): 'good' | 'revoked' | 'no-crl' {
    const { serial, issuerNameHex } = serialAndIssuerOf(certDer);
    if (this.revoked.has(`${issuerNameHex}|${serial}`)) return 'revoked';
    return this.coveredIssuers.has(issuerNameHex) ? 'good' : 'no-crl';
  }
}
