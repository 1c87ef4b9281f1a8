import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadPartnersFile } from './partners-file.loader.js';
import { PkiError } from './pki.error.js';

const VALID = `cas:
  dev:
    file: pki/ca.crt
    dev: true
  pkio:
    file: /etc/ketenpoort/pkio.crt
partners:
  - id: kmar
    name: Koninklijke Marechaussee
    oin: '00000001003214345001'
    ca: dev
    reporterType: kmar
    purposes: [registration, advice]
`;

function fileWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kp-partners-'));
  const path = join(dir, 'partners.yaml');
  writeFileSync(path, text);
  return path;
}

function errorOf(text: string): PkiError {
  const path = fileWith(text);
  try {
    loadPartnersFile(path);
  } catch (error) {
    return error as PkiError;
  }
  throw new Error('expected loadPartnersFile to throw');
}

const secondPartner = (fields: Record<string, string>) => {
  const merged = {
    id: 'politie',
    name: 'Politie',
    oin: '00000001003214345000',
    ca: 'dev',
    reporterType: 'police',
    ...fields,
  };
  return `  - id: ${merged.id}
    name: ${merged.name}
    oin: '${merged.oin}'
    ca: ${merged.ca}
    reporterType: ${merged.reporterType}
    purposes: [registration]
`;
};

describe(loadPartnersFile.name, () => {
  it('reads CAs and partners', () => {
    const sut = loadPartnersFile(fileWith(VALID));
    expect(sut.cas).toEqual([
      { name: 'dev', file: 'pki/ca.crt', dev: true },
      { name: 'pkio', file: '/etc/ketenpoort/pkio.crt', dev: false },
    ]);
    expect(sut.partners).toEqual([
      {
        id: 'kmar',
        name: 'Koninklijke Marechaussee',
        oin: '00000001003214345001',
        ca: 'dev',
        reporterType: 'kmar',
        purposes: ['registration', 'advice'],
      },
    ]);
  });

  it('reads the project config/partners.yaml', () => {
    const sut = loadPartnersFile(join(process.cwd(), 'config', 'partners.yaml'));
    expect(sut.partners.length).toBeGreaterThan(0);
    expect(sut.cas.map((ca) => ca.name)).toContain('dev');
  });

  it('names the file and path of an unknown reporter type', () => {
    const sut = errorOf(VALID.replace('reporterType: kmar', 'reporterType: coastguard'));
    expect(sut.code).toBe('PKI.PARTNERS_INVALID');
    expect(sut.message).toContain('partners.yaml');
    expect(sut.message).toMatch(/partners\[0\]\.reporterType: unknown reporter type/);
  });

  it('refuses a duplicate partner id', () => {
    const sut = errorOf(VALID + secondPartner({ id: 'kmar' }));
    expect(sut.message).toMatch(/partners\[1\]\.id: duplicate id 'kmar'/);
  });

  it('refuses two partners with the same OIN from the same CA', () => {
    const sut = errorOf(VALID + secondPartner({ oin: '00000001003214345001' }));
    expect(sut.message).toMatch(/partners\[1\]: duplicate \(oin, ca\)/);
  });

  it('accepts the same OIN from two different CAs', () => {
    const sut = loadPartnersFile(
      fileWith(VALID + secondPartner({ oin: '00000001003214345001', ca: 'pkio' })),
    );
    expect(sut.partners).toHaveLength(2);
  });

  it('refuses a partner naming an unknown CA', () => {
    expect(errorOf(VALID.replace('ca: dev', 'ca: nowhere')).message).toMatch(
      /partners\[0\]\.ca: .*unknown CA/,
    );
  });

  it('refuses an OIN that is not 20 digits', () => {
    expect(errorOf(VALID.replace("'00000001003214345001'", '1234')).message).toMatch(/partners\[0\]\.oin/);
  });

  it('refuses unknown keys', () => {
    expect(errorOf(VALID.replace('    purposes:', '    reportertype: x\n    purposes:')).message).toMatch(
      /partners\[0\]\.reportertype: unknown key/,
    );
  });

  it('refuses a YAML syntax error', () => {
    expect(errorOf('cas: [\n').code).toBe('PKI.PARTNERS_INVALID');
  });

  it('refuses a missing file naming it', () => {
    expect(() => loadPartnersFile('/nonexistent/partners.yaml')).toThrow(/\/nonexistent\/partners\.yaml/);
  });

  it('names the line of each problem', () => {
    const sut = errorOf(VALID.replace('reporterType: kmar', 'reporterType: coastguard'));
    expect(sut.message).toMatch(/partners\.yaml:12 partners\[0\]\.reporterType: unknown reporter type/);
  });

  describe('rateLimit', () => {
    const withLimit = (limit: string) =>
      VALID.replace(
        '    purposes: [registration, advice]\n',
        `    purposes: [registration, advice]\n    rateLimit: ${limit}\n`,
      );

    it("reads a partner's own rate limit", () => {
      const sut = loadPartnersFile(fileWith(withLimit('{ requestsPerSecond: 0.5, burst: 3 }')));
      expect(sut.partners[0].rateLimit).toEqual({ requestsPerSecond: 0.5, burst: 3 });
    });

    it('leaves it out when the partner has none, so the table keeps its version', () => {
      const sut = loadPartnersFile(fileWith(VALID));
      expect(Object.keys(sut.partners[0])).not.toContain('rateLimit');
    });

    it.each([
      ['{ requestsPerSecond: 0, burst: 3 }', 'requestsPerSecond: must be a number greater than 0'],
      ['{ requestsPerSecond: -1, burst: 3 }', 'requestsPerSecond: must be a number greater than 0'],
      ["{ requestsPerSecond: '5', burst: 3 }", 'requestsPerSecond: must be a number greater than 0'],
      ['{ requestsPerSecond: .inf, burst: 3 }', 'requestsPerSecond: must be a number greater than 0'],
      ['{ requestsPerSecond: 5, burst: 0 }', 'burst: must be a whole number of at least 1'],
      ['{ requestsPerSecond: 5, burst: 2.5 }', 'burst: must be a whole number of at least 1'],
      ['{ requestsPerSecond: 5 }', 'burst: must be a whole number of at least 1'],
      ['{ requestsPerSecond: 5, burst: 3, perMinute: 1 }', 'perMinute: unknown key'],
    ])('refuses %s naming file, line and path', (limit, problem) => {
      const sut = errorOf(withLimit(limit));
      expect(sut.code).toBe('PKI.PARTNERS_INVALID');
      expect(sut.message).toContain(`partners.yaml:14 partners[0].rateLimit.${problem}`);
    });

    it('refuses a rate limit that is not a mapping', () => {
      const sut = errorOf(withLimit('50'));
      expect(sut.message).toContain(
        'partners.yaml:14 partners[0].rateLimit: must be a mapping with requestsPerSecond and burst',
      );
    });

    it('names the line of the offending key in a block mapping', () => {
      const sut = errorOf(withLimit('\n      requestsPerSecond: 5\n      burst: -2'));
      expect(sut.message).toContain('partners.yaml:16 partners[0].rateLimit.burst: must be a whole number');
    });
  });
});
