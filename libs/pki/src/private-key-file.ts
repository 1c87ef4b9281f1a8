import { chmodSync, mkdirSync, renameSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PkiError } from './pki.error.js';

/**
 * Reads a PEM private key. Unless `allowInsecureMode` (embedded dev mode only), a file readable or
 * writable by group or others is refused with PkiError `PKI.KEY_FILE_INSECURE`.
 *
 * @example
 * const keyPem = readPrivateKeyFile('/etc/ketenpoort/gateway-server.key');
 */
export function readPrivateKeyFile(path: string, opts: { allowInsecureMode?: boolean } = {}): string {
  let mode: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error('not a file');
    mode = stat.mode;
  } catch {
    throw new PkiError('PKI.KEY_FILE_MISSING', `private key file ${path} does not exist or is not a file`);
  }
  if (!opts.allowInsecureMode && process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new PkiError(
      'PKI.KEY_FILE_INSECURE',
      `private key file ${path} has mode ${(mode & 0o777).toString(8)}; it must be owner-only (chmod 600)`,
    );
  }
  const pem = readFileSync(path, 'utf8');
  if (!/-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
    throw new PkiError('PKI.KEY_INVALID', `private key file ${path} holds no PEM private key`);
  }
  return pem;
}

/**
 * Writes a private key with mode 0600 (atomically: temp file, then rename), creating the folder.
 *
 * @example
 * writePrivateKeyFile(join(dataDir, 'pki/ca.key'), ca.keyPem);
 */
export function writePrivateKeyFile(path: string, pem: string): void {
  writeFileAtomically(path, pem, 0o600);
}

/**
 * Writes a certificate (public) with mode 0644, creating the folder.
 *
 * @example
 * writeCertificateFile(join(dataDir, 'pki/ca.crt'), ca.certPem);
 */
export function writeCertificateFile(path: string, pem: string): void {
  writeFileAtomically(path, pem, 0o644);
}

function writeFileAtomically(path: string, content: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, content, { mode, flag: 'wx' });
  chmodSync(temp, mode); // the umask may have narrowed or the platform ignored `mode` on create
  renameSync(temp, path);
}
