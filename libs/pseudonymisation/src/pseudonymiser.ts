import type { LinkageToken } from '@ketenpoort/signal-contract';
import { hmacSha256 } from './crypto/hmac-sha256.js';
import type { KeyRing } from './key-ring/key-ring.js';
import {
  canonicalDocumentInput,
  canonicalNdsInput,
  COMPONENT_SEPARATOR,
  normaliseCaseReference,
  type SubjectIdentity,
} from './normalise/canonical-input.js';
import { PseudonymisationError } from './pseudonymisation.error.js';
import { assertRecipient } from './token/recipient.js';
import { isTokenKind, TOKEN_KINDS, type TokenKind } from './token/token-kind.js';
import { formatToken } from './token/token.format.js';

export type { LinkageToken };

function byKindThenValue(a: LinkageToken, b: LinkageToken): number {
  const kindOrder =
    (TOKEN_KINDS as readonly string[]).indexOf(a.kind) - (TOKEN_KINDS as readonly string[]).indexOf(b.kind);
  return kindOrder !== 0 ? kindOrder : a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/**
 * Issues tokens for one recipient domain ('register', 'audit', …) under one key version (default: current).
 * Each token is `v<version>.<recipient>.<kind>.<base32(HMAC-SHA-256(recipientKey, kind ␟ canonicalInput))>`.
 *
 * @example
 * const sut = new Pseudonymiser(keyRing, 'register');
 * sut.linkageTokens({ documents: [{ type: 'passport', country: 'PL', number: 'EA1234567' }] });
 * // [{ kind: 'doc', value: 'v1.register.doc.…' }]
 */
export class Pseudonymiser {
  readonly recipient: string;
  readonly keyVersion: number;
  readonly #key: Buffer;

  constructor(keyRing: KeyRing, recipient: string, version: number = keyRing.currentVersion) {
    assertRecipient(recipient);
    this.#key = keyRing.recipientKey(recipient, version);
    this.recipient = recipient;
    this.keyVersion = version;
  }

  /**
   * A token over an already canonical input; the kind is part of the hashed message, so the same input under
   * two kinds gives unrelated tokens.
   *
   * @example
   * sut.token('case', 'POL-2020-001234'); // 'v1.register.case.…'
   */
  token(kind: TokenKind, canonicalInput: string): string {
    if (!isTokenKind(kind)) {
      throw new PseudonymisationError('PSEUDO.KIND_INVALID', `kind must be one of ${TOKEN_KINDS.join(', ')}`);
    }
    if (typeof canonicalInput !== 'string' || canonicalInput.length === 0) {
      throw new PseudonymisationError('PSEUDO.INPUT_INVALID', 'canonicalInput must be a non-empty string');
    }
    const digest = hmacSha256(this.#key, `${kind}${COMPONENT_SEPARATOR}${canonicalInput}`);
    return formatToken(this.keyVersion, this.recipient, kind, digest);
  }

  /**
   * Linkage tokens for what is present: one `doc` per distinct document (type, country, number) and one `nds`
   * when there are name tokens, a full birth date and a sex of female, male or other. Missing inputs leave a
   * token out — never filler values. Sorted by kind (doc before nds), then value.
   *
   * @example
   * sut.linkageTokens({ givenNames: 'Anna', familyName: 'Kowalska', birthDate: '1999-04-12', sex: 'female' });
   * // [{ kind: 'nds', value: 'v1.register.nds.…' }]
   */
  linkageTokens(subject: SubjectIdentity): LinkageToken[] {
    return this.#tokens(subject, (kind, input) => ({ kind, value: this.token(kind, input) }));
  }

  /**
   * Audit-domain subject tokens (kind `subj`), one per identifying input of `linkageTokens` (each document, and
   * names + birth date + sex). The hashed input is the inner kind plus its canonical input, so a `subj` token
   * never equals a `doc` or `nds` token, and a subject-access request can recompute them from whatever
   * identifiers the person brings. Distinct and sorted.
   *
   * @example
   * new Pseudonymiser(keyRing, 'audit').subjectTokens(subject); // ['v1.audit.subj.…', 'v1.audit.subj.…']
   */
  subjectTokens(subject: SubjectIdentity): string[] {
    return this.#tokens(subject, (kind, input) => ({
      kind: 'subj',
      value: this.token('subj', `${kind}${COMPONENT_SEPARATOR}${input}`),
    })).map((t) => t.value);
  }

  /**
   * Token of kind `case` over a case reference (trimmed, upper case, white space collapsed); throws
   * `PSEUDO.INPUT_INVALID` for a blank reference.
   *
   * @example
   * sut.caseToken('pol-2020-001234'); // same as sut.caseToken(' POL-2020-001234 ')
   */
  caseToken(reference: string): string {
    const normalised = normaliseCaseReference(reference);
    if (normalised === '') {
      throw new PseudonymisationError('PSEUDO.INPUT_INVALID', 'case reference is blank');
    }
    return this.token('case', normalised);
  }

  #tokens(
    subject: SubjectIdentity,
    issue: (kind: 'doc' | 'nds', canonicalInput: string) => LinkageToken,
  ): LinkageToken[] {
    if (typeof subject !== 'object' || subject === null) {
      throw new PseudonymisationError('PSEUDO.INPUT_INVALID', 'subject must be an object');
    }
    const inputs: ['doc' | 'nds', string][] = [];
    for (const document of Array.isArray(subject.documents) ? subject.documents : []) {
      const input = canonicalDocumentInput(document);
      if (input !== null) inputs.push(['doc', input]);
    }
    const nds = canonicalNdsInput(subject);
    if (nds !== null) inputs.push(['nds', nds]);
    const unique = new Map<string, LinkageToken>();
    for (const [kind, input] of inputs) {
      const token = issue(kind, input);
      unique.set(token.value, token);
    }
    return [...unique.values()].sort(byKindThenValue);
  }
}
