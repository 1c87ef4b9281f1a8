import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readPrivateKeyFile, writeCertificateFile, writePrivateKeyFile } from './private-key-file.js';

const KEY = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n';
const tempDir = () => mkdtempSync(join(tmpdir(), 'kp-keyfile-'));

describe(readPrivateKeyFile.name, () => {
  it('reads an owner-only key file', () => {
    const path = join(tempDir(), 'k.key');
    writePrivateKeyFile(path, KEY);
    expect(readPrivateKeyFile(path)).toBe(KEY);
  });

  it('refuses a key file readable by group or others', () => {
    const path = join(tempDir(), 'k.key');
    writeFileSync(path, KEY);
    chmodSync(path, 0o640);
    expect(() => readPrivateKeyFile(path)).toThrow(
      expect.objectContaining({ code: 'PKI.KEY_FILE_INSECURE' }),
    );
  });

  it('reads an insecure key file when allowed (dev mode)', () => {
    const path = join(tempDir(), 'k.key');
    writeFileSync(path, KEY);
    chmodSync(path, 0o644);
    expect(readPrivateKeyFile(path, { allowInsecureMode: true })).toBe(KEY);
  });

  it('refuses a missing file', () => {
    expect(() => readPrivateKeyFile(join(tempDir(), 'none.key'))).toThrow(
      expect.objectContaining({ code: 'PKI.KEY_FILE_MISSING' }),
    );
  });

  it('refuses a file without a private key, without echoing its content', () => {
    const path = join(tempDir(), 'k.key');
    writePrivateKeyFile(path, 'SECRET-CONTENT');
    expect(() => readPrivateKeyFile(path)).toThrow(expect.objectContaining({ code: 'PKI.KEY_INVALID' }));
    expect(() => readPrivateKeyFile(path)).not.toThrow(/SECRET-CONTENT/);
  });
});

describe(writePrivateKeyFile.name, () => {
  it('writes mode 0600, creating the folder', () => {
    const path = join(tempDir(), 'nested', 'k.key');
    writePrivateKeyFile(path, KEY);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('narrows an existing file to 0600 when overwriting', () => {
    const path = join(tempDir(), 'k.key');
    writeFileSync(path, 'old');
    chmodSync(path, 0o666);
    writePrivateKeyFile(path, KEY);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

describe(writeCertificateFile.name, () => {
  it('writes mode 0644', () => {
    const path = join(tempDir(), 'c.crt');
    writeCertificateFile(path, 'cert');
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });
});
