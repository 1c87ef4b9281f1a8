import { describe, expect, it } from '@jest/globals';
import { formatToken, parseToken } from './token.format.js';
import { TOKEN_KINDS } from './token-kind.js';

const digest = Buffer.from('foobar');

describe(formatToken.name, () => {
  const sut = formatToken;

  it('formats v<keyVersion>.<recipient>.<kind>.<base32>', () => {
    expect(sut(1, 'register', 'nds', digest)).toBe('v1.register.nds.mzxw6ytboi');
  });

  it('refuses a kind outside the fixed list', () => {
    expect(() => sut(1, 'register', 'name' as never, digest)).toThrow(
      expect.objectContaining({ code: 'PSEUDO.KIND_INVALID' }),
    );
  });

  it.each(['', 'Register', 'a.b', '-x', 'x y'])('refuses recipient %j', (recipient) => {
    expect(() => sut(1, recipient, 'doc', digest)).toThrow(
      expect.objectContaining({ code: 'PSEUDO.RECIPIENT_INVALID' }),
    );
  });

  it.each([0, -1, 1.5])('refuses key version %j', (version) => {
    expect(() => sut(version, 'register', 'doc', digest)).toThrow(
      expect.objectContaining({ code: 'PSEUDO.KEY_VERSION_UNKNOWN' }),
    );
  });
});

describe(parseToken.name, () => {
  const sut = parseToken;

  it.each(TOKEN_KINDS)('reads back what formatToken wrote for kind %s', (kind) => {
    expect(sut(formatToken(12, 'gateway-idempotency', kind, digest))).toEqual({
      version: 12,
      recipient: 'gateway-idempotency',
      kind,
      value: 'mzxw6ytboi',
    });
  });

  it.each([
    'v1.register.name.mzxw6ytboi',
    'v0.register.doc.mzxw6ytboi',
    '1.register.doc.mzxw6ytboi',
    'v1.register.doc.MZXW6YTBOI',
    'v1.register.doc.mzxw6ytbo1',
    'v1.register.doc.',
    'v1.re.gister.doc.mzxw6ytboi',
    ' v1.register.doc.mzxw6ytboi',
  ])('returns null for %j', (token) => {
    expect(sut(token)).toBeNull();
  });
});
