import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { loadKeyRingFile, type KeyRing } from '@ketenpoort/pseudonymisation';
import { fail, ok, type DoctorFinding } from './doctor-check.js';

function modeFinding(path: string, label: string): DoctorFinding | null {
  if (!existsSync(path)) {
    return fail(
      'keys',
      label,
      `${path} does not exist`,
      `place the key at ${path} (mode 0600); keys are generated only by \`ketenpoort dev\``,
    );
  }
  const mode = statSync(path).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    return fail(
      'keys',
      label,
      `${path} has mode ${mode.toString(8).padStart(4, '0')}; others can read it`,
      `chmod 600 ${path}`,
    );
  }
  return null;
}

/** A PEM private key: owner-only and parseable. */
export function checkPemKey(path: string, label: string): DoctorFinding {
  const bad = modeFinding(path, label);
  if (bad) return bad;
  try {
    const key = createPrivateKey(readFileSync(path, 'utf8'));
    return ok('keys', label, `owner-only, ${key.asymmetricKeyType} private key`);
  } catch {
    return fail(
      'keys',
      label,
      `${path} is not a PEM private key`,
      `replace ${path} with the PEM private key of its certificate`,
    );
  }
}

/** A private JWK (signing keys): owner-only, parseable, with a kid. */
export function checkPrivateJwk(path: string, label: string): DoctorFinding {
  const bad = modeFinding(path, label);
  if (bad) return bad;
  try {
    const jwk = JSON.parse(readFileSync(path, 'utf8')) as {
      kty?: string;
      crv?: string;
      d?: string;
      kid?: string;
    };
    createPrivateKey({ key: jwk as never, format: 'jwk' });
    if (!jwk.d || !jwk.kid) throw new Error('not a private JWK with a kid');
    return ok('keys', label, `owner-only, ${jwk.crv ?? jwk.kty} private JWK, kid ${jwk.kid}`);
  } catch {
    return fail(
      'keys',
      label,
      `${path} is not a private JWK with a kid`,
      `replace ${path} with the private JWK (with kid) of this key`,
    );
  }
}

/** The pseudonymisation key ring: owner-only and loadable; its fingerprints are printed, never the keys. */
export function checkKeyRing(path: string): { finding: DoctorFinding; ring: KeyRing | null } {
  const bad = modeFinding(path, 'pseudonymisation key ring');
  if (bad) return { finding: bad, ring: null };
  try {
    const ring = loadKeyRingFile(path);
    const prints = ring
      .versions()
      .map((v) => `v${v}=${ring.fingerprint(v)}`)
      .join(' ');
    return {
      finding: ok(
        'key-ring',
        'pseudonymisation key ring',
        `current v${ring.currentVersion}; fingerprints ${prints}`,
      ),
      ring,
    };
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    return {
      finding: fail(
        'key-ring',
        'pseudonymisation key ring',
        `${path} does not load (${code})`,
        `restore ${path} from the key backup (mode 0600)`,
      ),
      ring: null,
    };
  }
}
