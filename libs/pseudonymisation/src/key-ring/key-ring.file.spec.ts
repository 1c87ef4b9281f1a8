import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { TEST_KEY_RING_DATA } from '../__fixtures__/test-key-ring.js';
import { KeyRing } from './key-ring.js';
import { retireKeyVersion, rotateKeyRingData } from './key-ring.data.js';
import { loadKeyRingFile, readKeyRingFile, updateKeyRingFile, writeKeyRingFile } from './key-ring.file.js';

const dir = mkdtempSync(join(tmpdir(), 'kp-pseudo-keyring-'));
let counter = 0;
const freshPath = () => join(dir, `case-${++counter}`, 'keys', 'pseudonymisation.json');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(writeKeyRingFile.name, () => {
  const sut = writeKeyRingFile;

  it('writes the file with mode 0600, creating its folders', () => {
    const path = freshPath();
    sut(path, TEST_KEY_RING_DATA);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('writes data that reads back as the same key ring', () => {
    const path = freshPath();
    sut(path, TEST_KEY_RING_DATA);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(TEST_KEY_RING_DATA);
  });

  it('refuses to overwrite an existing file', () => {
    const path = freshPath();
    sut(path, TEST_KEY_RING_DATA);
    expect(() => sut(path, KeyRing.generateData())).toThrow(
      expect.objectContaining({ code: 'PSEUDO.KEY_FILE_EXISTS' }),
    );
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(TEST_KEY_RING_DATA);
  });

  it('refuses invalid data before writing anything', () => {
    const path = freshPath();
    expect(() => sut(path, { ...TEST_KEY_RING_DATA, current: 5 })).toThrow(
      expect.objectContaining({ code: 'PSEUDO.KEYRING_INVALID' }),
    );
    expect(() => statSync(path)).toThrow();
  });
});

describe(loadKeyRingFile.name, () => {
  const sut = loadKeyRingFile;

  it('loads a 0600 file', () => {
    const path = freshPath();
    writeKeyRingFile(path, TEST_KEY_RING_DATA);
    expect(sut(path).fingerprint(2)).toBe(KeyRing.fromData(TEST_KEY_RING_DATA).fingerprint(2));
  });

  it('refuses a 0644 file with PSEUDO.KEY_FILE_INSECURE', () => {
    const path = freshPath();
    writeKeyRingFile(path, TEST_KEY_RING_DATA);
    chmodSync(path, 0o644);
    expect(() => sut(path)).toThrow(expect.objectContaining({ code: 'PSEUDO.KEY_FILE_INSECURE' }));
  });

  it('loads a 0644 file when insecure modes are allowed (dev mode)', () => {
    const path = freshPath();
    writeKeyRingFile(path, TEST_KEY_RING_DATA);
    chmodSync(path, 0o644);
    expect(sut(path, { allowInsecureMode: true }).currentVersion).toBe(1);
  });

  it('refuses a missing file with PSEUDO.KEY_FILE_UNREADABLE', () => {
    expect(() => sut(join(dir, 'absent.json'))).toThrow(
      expect.objectContaining({ code: 'PSEUDO.KEY_FILE_UNREADABLE' }),
    );
  });

  it('refuses a file that is not JSON with PSEUDO.KEYRING_INVALID', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ not json', { mode: 0o600 });
    expect(() => sut(path)).toThrow(expect.objectContaining({ code: 'PSEUDO.KEYRING_INVALID' }));
  });
});

describe(updateKeyRingFile.name, () => {
  it('rotates in place: a new current version, the old ones kept, still mode 0600, no file left beside it', () => {
    const path = freshPath();
    writeKeyRingFile(path, TEST_KEY_RING_DATA);
    const after = updateKeyRingFile(path, (data) => rotateKeyRingData(data));
    // Never a version used before: the highest + 1.
    expect(after.current).toBe(Math.max(...Object.keys(TEST_KEY_RING_DATA.versions).map(Number)) + 1);
    expect(readKeyRingFile(path)).toEqual(after);
    expect(Object.keys(after.versions)).toEqual(
      expect.arrayContaining(Object.keys(TEST_KEY_RING_DATA.versions)),
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(() => statSync(`${path}.next`)).toThrow();
  });

  it('retires an old version, and refuses the current one', () => {
    const path = freshPath();
    writeKeyRingFile(path, TEST_KEY_RING_DATA);
    const rotated = updateKeyRingFile(path, (data) => rotateKeyRingData(data));
    expect(
      updateKeyRingFile(path, (data) => retireKeyVersion(data, TEST_KEY_RING_DATA.current)).retired,
    ).toEqual([TEST_KEY_RING_DATA.current]);
    expect(() => updateKeyRingFile(path, (data) => retireKeyVersion(data, rotated.current))).toThrow(
      /current/,
    );
  });

  it('refuses a change that drops or alters a version, and leaves the file as it was', () => {
    const path = freshPath();
    writeKeyRingFile(path, TEST_KEY_RING_DATA);
    const current = String(TEST_KEY_RING_DATA.current);
    expect(() =>
      updateKeyRingFile(path, (data) => ({
        ...data,
        versions: { ...data.versions, [current]: Buffer.alloc(32, 7).toString('base64') },
      })),
    ).toThrow(/may not drop or alter/);
    expect(readKeyRingFile(path)).toEqual(TEST_KEY_RING_DATA);
  });
});
