import { X509Certificate, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import forge from 'node-forge';
import type { PemPair } from './certificate.builder.js';
import { PkiError } from './pki.error.js';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

const OID = {
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  authorityKeyIdentifier: '2.5.29.35',
  subjectKeyIdentifier: '2.5.29.14',
  crlNumber: '2.5.29.20',
  reasonCode: '2.5.29.21',
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;
// forge's fromDer takes an options object at runtime; its type definitions know only the boolean form.
const DER_OPTIONS = { strict: true, decodeBitStrings: false } as unknown as boolean;

/** RFC 5280 CRLReason values we write. */
export type RevocationReason =
  'unspecified' | 'keyCompromise' | 'affiliationChanged' | 'superseded' | 'cessationOfOperation';
const REASON_CODE: Record<RevocationReason, number> = {
  unspecified: 0,
  keyCompromise: 1,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
};

/** One entry of a CRL: the certificate's serial (hex) and when it was revoked. */
export interface RevokedCertificate {
  serial: string;
  revokedAt?: Date;
  reason?: RevocationReason;
}

export interface CreateCrlOptions {
  /** Default now - 1 minute (tolerates clock skew). */
  thisUpdate?: Date;
  /** Default thisUpdate + 7 days. OpenSSL refuses every certificate of the CA once this has passed. */
  nextUpdate?: Date;
  /** Monotonic CRL number; default the current time in seconds. */
  crlNumber?: number;
}

/** A parsed, not yet verified CRL. Serials are upper-case hex without leading zeros. */
export interface ParsedCrl {
  /** DER of the issuer Name, hex: matches the `subject` of the CA that signed it. */
  issuerNameHex: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
  crlNumber: number | null;
  revokedSerials: string[];
  /** Bytes the signature covers. */
  tbsDer: Buffer;
  signatureOid: string;
  signature: Buffer;
}

/**
 * Issues an X.509 v2 CRL (RFC 5280) signed by `ca` (RSA or EC key), listing `revoked` certificates;
 * the PEM can be given to Node's TLS `crl` option.
 *
 * @example
 * const crlPem = createCrl(ca, [{ serial: new X509Certificate(partner.certPem).serialNumber }]);
 * tls.createServer({ ca: ca.certPem, crl: crlPem, requestCert: true, ... });
 */
export function createCrl(
  ca: PemPair,
  revoked: readonly (RevokedCertificate | string)[],
  opts: CreateCrlOptions = {},
): string {
  const caKey = (() => {
    try {
      return createPrivateKey(ca.keyPem);
    } catch {
      throw new PkiError('PKI.KEY_INVALID', 'not a valid PEM private key');
    }
  })();
  const caTbs = tbsOf(certificateAsn1(ca.certPem));
  const signatureOid =
    caKey.asymmetricKeyType === 'rsa'
      ? OID.sha256WithRSA
      : caKey.asymmetricKeyType === 'ec'
        ? OID.ecdsaWithSha256
        : null;
  if (!signatureOid)
    throw new PkiError('PKI.CRL_UNSUPPORTED_KEY', 'CRLs are signed with RSA or EC keys only');
  const thisUpdate = opts.thisUpdate ?? new Date(Date.now() - 60_000);
  const nextUpdate = opts.nextUpdate ?? new Date(thisUpdate.getTime() + 7 * DAY_MS);
  if (nextUpdate.getTime() <= thisUpdate.getTime())
    throw new PkiError('PKI.CRL_INVALID', 'nextUpdate must be later than thisUpdate');

  const entries = revoked.map((r) => (typeof r === 'string' ? { serial: r } : r));
  const crlExtensions: Asn1[] = [];
  const ski = extensionValue(caTbs, OID.subjectKeyIdentifier);
  if (ski) {
    const keyId = asn1.fromDer(ski).value as string;
    crlExtensions.push(
      extension(OID.authorityKeyIdentifier, seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, keyId)])),
    );
  }
  crlExtensions.push(
    extension(OID.crlNumber, integer(BigInt(opts.crlNumber ?? Math.floor(Date.now() / 1000)))),
  );

  const tbsParts: Asn1[] = [
    integer(1n), // v2
    algorithm(signatureOid),
    subjectNameOf(caTbs),
    time(thisUpdate),
    time(nextUpdate),
  ];
  if (entries.length > 0) {
    tbsParts.push(
      seq(
        entries.map((e) => {
          const parts: Asn1[] = [integer(serialToBigInt(e.serial)), time(e.revokedAt ?? thisUpdate)];
          if (e.reason) {
            const reason = asn1.create(
              asn1.Class.UNIVERSAL,
              asn1.Type.ENUMERATED,
              false,
              String.fromCharCode(REASON_CODE[e.reason]),
            );
            parts.push(seq([extension(OID.reasonCode, reason)]));
          }
          return seq(parts);
        }),
      ),
    );
  }
  tbsParts.push(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [seq(crlExtensions)]));
  const tbs = seq(tbsParts);
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const signature = sign('sha256', tbsDer, caKey);
  const crl = seq([
    tbs,
    algorithm(signatureOid),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\u0000' + signature.toString('binary')),
  ]);
  const der = asn1.toDer(crl).getBytes();
  return forge.pem.encode({ type: 'X509 CRL', body: der }, { maxline: 64 });
}

/**
 * Parses a PEM CRL without checking its signature (see {@link verifyCrl}); PkiError `PKI.CRL_INVALID`
 * when it is not one.
 *
 * @example
 * parseCrl(crlPem).revokedSerials; // ['4A1F…']
 */
export function parseCrl(crlPem: string): ParsedCrl {
  try {
    const blocks = forge.pem.decode(crlPem).filter((b) => b.type === 'X509 CRL');
    if (blocks.length !== 1) throw new Error('expected one X509 CRL block');
    const crl = asn1.fromDer(blocks[0].body, DER_OPTIONS);
    const [tbs, sigAlg, sigValue] = crl.value as Asn1[];
    const parts = tbs.value as Asn1[];
    let i = 0;
    if (parts[i].tagClass === asn1.Class.UNIVERSAL && parts[i].type === asn1.Type.INTEGER) i++;
    i++; // signature algorithm
    const issuer = parts[i++];
    const thisUpdate = readTime(parts[i++]);
    let nextUpdate: Date | null = null;
    if (parts[i] && isTime(parts[i])) nextUpdate = readTime(parts[i++]);
    const revokedSerials: string[] = [];
    if (parts[i] && parts[i].tagClass === asn1.Class.UNIVERSAL && parts[i].type === asn1.Type.SEQUENCE) {
      for (const entry of parts[i++].value as Asn1[]) {
        revokedSerials.push(
          normaliseSerial(forge.util.bytesToHex((entry.value as Asn1[])[0].value as string)),
        );
      }
    }
    let crlNumber: number | null = null;
    const extensions = parts[i];
    if (extensions && extensions.tagClass === asn1.Class.CONTEXT_SPECIFIC) {
      for (const ext of ((extensions.value as Asn1[])[0].value as Asn1[]) ?? []) {
        const [oid, ...rest] = ext.value as Asn1[];
        if (asn1.derToOid(oid.value as string) === OID.crlNumber) {
          const octets = rest[rest.length - 1].value as string;
          crlNumber = Number(
            BigInt('0x' + (forge.util.bytesToHex(asn1.fromDer(octets).value as string) || '0')),
          );
        }
      }
    }
    const signatureBits = sigValue.value as string;
    return {
      issuerNameHex: forge.util.bytesToHex(asn1.toDer(issuer).getBytes()),
      thisUpdate,
      nextUpdate,
      crlNumber,
      revokedSerials,
      tbsDer: Buffer.from(asn1.toDer(tbs).getBytes(), 'binary'),
      signatureOid: asn1.derToOid((sigAlg.value as Asn1[])[0].value as string),
      signature: Buffer.from(signatureBits.slice(1), 'binary'),
    };
  } catch (error) {
    if (error instanceof PkiError) throw error;
    throw new PkiError('PKI.CRL_INVALID', 'not a valid PEM X.509 CRL');
  }
}

/**
 * Checks that `caPem` issued and signed the CRL and that it is current at `now`: PkiError
 * `PKI.CRL_WRONG_ISSUER`, `PKI.CRL_SIGNATURE_INVALID` or `PKI.CRL_EXPIRED` otherwise.
 *
 * @example
 * const crl = verifyCrl(crlPem, ca.certPem); // ParsedCrl
 */
export function verifyCrl(crlPem: string, caPem: string, now: Date = new Date()): ParsedCrl {
  const crl = parseCrl(crlPem);
  if (crl.issuerNameHex !== issuerNameHexOfCa(caPem))
    throw new PkiError('PKI.CRL_WRONG_ISSUER', 'the CRL was not issued by this CA');
  const publicKey = createPublicKey(
    new X509Certificate(caPem).publicKey.export({ type: 'spki', format: 'pem' }),
  );
  const supported = crl.signatureOid === OID.sha256WithRSA || crl.signatureOid === OID.ecdsaWithSha256;
  if (!supported || !verify('sha256', crl.tbsDer, publicKey, crl.signature))
    throw new PkiError('PKI.CRL_SIGNATURE_INVALID', 'the CRL signature does not verify with this CA');
  if (crl.nextUpdate && crl.nextUpdate.getTime() < now.getTime())
    throw new PkiError('PKI.CRL_EXPIRED', 'the CRL is past its nextUpdate');
  if (crl.thisUpdate.getTime() > now.getTime() + 5 * 60_000)
    throw new PkiError('PKI.CRL_NOT_YET_VALID', 'the CRL thisUpdate is in the future');
  return crl;
}

/** The DER of a CA's subject Name, hex (what its CRLs carry as issuer). */
export function issuerNameHexOfCa(caPem: string): string {
  return forge.util.bytesToHex(asn1.toDer(subjectNameOf(tbsOf(certificateAsn1(caPem)))).getBytes());
}

/** Serial number and issuer Name (hex DER) of a certificate's DER, as CRL entries name it. */
export function serialAndIssuerOf(certDer: Buffer): { serial: string; issuerNameHex: string } {
  const tbs = tbsOf(asn1.fromDer(certDer.toString('binary'), DER_OPTIONS));
  const parts = tbs.value as Asn1[];
  const offset = parts[0].tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  return {
    serial: normaliseSerial(forge.util.bytesToHex(parts[offset].value as string)),
    issuerNameHex: forge.util.bytesToHex(asn1.toDer(parts[offset + 2]).getBytes()),
  };
}

/** Upper-case hex without leading zeros, as Node's X509Certificate.serialNumber (minus padding) gives it. */
export function normaliseSerial(serialHex: string): string {
  return serialHex
    .replace(/[^0-9a-f]/gi, '')
    .replace(/^0+(?=.)/, '')
    .toUpperCase();
}

function certificateAsn1(certPem: string): Asn1 {
  try {
    const der = forge.pem.decode(certPem).find((b) => b.type === 'CERTIFICATE');
    if (!der) throw new Error('no certificate');
    return asn1.fromDer(der.body, DER_OPTIONS);
  } catch {
    throw new PkiError('PKI.CERT_INVALID', 'not a valid PEM certificate');
  }
}

function tbsOf(cert: Asn1): Asn1 {
  return (cert.value as Asn1[])[0];
}

function subjectNameOf(tbs: Asn1): Asn1 {
  const parts = tbs.value as Asn1[];
  const offset = parts[0].tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  return parts[offset + 4];
}

/** The extnValue octets of a certificate extension, or null. */
function extensionValue(tbs: Asn1, oid: string): string | null {
  const wrapper = (tbs.value as Asn1[]).find(
    (p) => p.tagClass === asn1.Class.CONTEXT_SPECIFIC && p.type === 3,
  );
  if (!wrapper) return null;
  for (const ext of (wrapper.value as Asn1[])[0].value as Asn1[]) {
    const [id, ...rest] = ext.value as Asn1[];
    if (asn1.derToOid(id.value as string) === oid) return rest[rest.length - 1].value as string;
  }
  return null;
}

function seq(value: Asn1[]): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, value);
}

function integer(value: bigint): Asn1 {
  let hex = value.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = '00' + hex;
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(hex));
}

function algorithm(oid: string): Asn1 {
  const parts = [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes())];
  if (oid === OID.sha256WithRSA) parts.push(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''));
  return seq(parts);
}

function extension(oid: string, value: Asn1): Asn1 {
  return seq([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, asn1.toDer(value).getBytes()),
  ]);
}

function time(date: Date): Asn1 {
  // RFC 5280 §5.1.2.4: UTCTime through 2049, GeneralizedTime from 2050.
  return date.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

function isTime(node: Asn1): boolean {
  return (
    node.tagClass === asn1.Class.UNIVERSAL &&
    (node.type === asn1.Type.UTCTIME || node.type === asn1.Type.GENERALIZEDTIME)
  );
}

function readTime(node: Asn1): Date {
  if (!isTime(node)) throw new Error('expected a time');
  return node.type === asn1.Type.UTCTIME
    ? asn1.utcTimeToDate(node.value as string)
    : asn1.generalizedTimeToDate(node.value as string);
}

function serialToBigInt(serial: string): bigint {
  const hex = normaliseSerial(serial);
  if (!/^[0-9A-F]+$/.test(hex)) throw new PkiError('PKI.CRL_INVALID', 'a serial number must be hex');
  return BigInt('0x' + hex);
}
