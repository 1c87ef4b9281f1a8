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
import { richerInputs } from './normalise/richer-input.js';
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
 * Issues tokens for one recipient domain ('register', 'audit', …). Each token is
 * `v<version>.<recipient>.<kind>.<base32(HMAC-SHA-256(recipientKey, kind ␟ canonicalInput))>`.
 *
 * Built without a version, `linkageTokens` issues under every non-retired key version of the ring (key
 * rotation that keeps links: docs/adr/0008-key-rotation.md) and everything else under the current version.
 * Built with a version, everything is issued under that version alone.
 *
 * @example
 * const sut = new Pseudonymiser(keyRing, 'register');
 * sut.linkageTokens({ documents: [{ type: 'passport', country: 'PL', number: 'EA1234567' }] });
 * // [{ kind: 'doc', value: 'v1.register.doc.…' }]
 */
export class Pseudonymiser {
  readonly recipient: string;
  /** The version of `token`, `caseToken` and `subjectTokens` (the current one unless given). */
  readonly keyVersion: number;
  /** The versions `linkageTokens` issues under, ascending. */
  readonly linkageVersions: readonly number[];
  readonly #keys = new Map<number, Buffer>();

  constructor(keyRing: KeyRing, recipient: string, version?: number) {
    assertRecipient(recipient);
    this.keyVersion = version ?? keyRing.currentVersion;
    this.linkageVersions =
      version === undefined ? keyRing.versions().filter((v) => !keyRing.isRetired(v)) : [version];
    for (const v of new Set([this.keyVersion, ...this.linkageVersions])) {
      this.#keys.set(v, keyRing.recipientKey(recipient, v));
    }
    this.recipient = recipient;
  }

  /**
   * A token over an already canonical input; the kind is part of the hashed message, so the same input under
   * two kinds gives unrelated tokens.
   *
   * @example
   * sut.token('case', 'POL-2020-001234'); // 'v1.register.case.…'
   */
  token(kind: TokenKind, canonicalInput: string): string {
    return this.#token(this.keyVersion, kind, canonicalInput);
  }

  #token(version: number, kind: TokenKind, canonicalInput: string): string {
    if (!isTokenKind(kind)) {
      throw new PseudonymisationError('PSEUDO.KIND_INVALID', `kind must be one of ${TOKEN_KINDS.join(', ')}`);
    }
    if (typeof canonicalInput !== 'string' || canonicalInput.length === 0) {
      throw new PseudonymisationError('PSEUDO.INPUT_INVALID', 'canonicalInput must be a non-empty string');
    }
    const digest = hmacSha256(this.#keys.get(version)!, `${kind}${COMPONENT_SEPARATOR}${canonicalInput}`);
    return formatToken(version, this.recipient, kind, digest);
  }

  /**
   * Linkage tokens for what is present, under every version of `linkageVersions`: one `doc` per distinct
   * document (type, country, number); one `nds` when there are name tokens, a full birth date and a sex of
   * female, male or other; and the richer kinds `ndob`, `sdob`, `near`, `phon`, `nyr`, `pyr` (see
   * `richerInputs`). Missing inputs leave a token out — never filler values. Distinct, sorted by kind (in
   * `TOKEN_KINDS` order), then value.
   *
   * @example
   * sut.linkageTokens({ givenNames: 'Anna', familyName: 'Kowalska', birthDate: '1999-04-12', sex: 'female' });
   * // [{ kind: 'nds', value: 'v1.register.nds.…' }, { kind: 'ndob', … }, { kind: 'near', … }, …]
   */
  linkageTokens(subject: SubjectIdentity): LinkageToken[] {
    const unique = new Map<string, LinkageToken>();
    for (const version of this.linkageVersions) {
      const issue = (kind: TokenKind, input: string) => {
        const value = this.#token(version, kind, input);
        unique.set(value, { kind, value });
      };
      for (const [kind, input] of this.#identifyingInputs(subject)) issue(kind, input);
      for (const [kind, inputs] of richerInputs(subject)) for (const input of inputs) issue(kind, input);
    }
    return [...unique.values()].sort(byKindThenValue);
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
    const tokens = this.#identifyingInputs(subject).map((input) => ({
      kind: 'subj',
      value: this.token('subj', input.join(COMPONENT_SEPARATOR)),
    }));
    return [...new Map(tokens.map((t) => [t.value, t])).values()].sort(byKindThenValue).map((t) => t.value);
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

  /** The inputs of `doc` and `nds` — what `subjectTokens` covers too. */
  #identifyingInputs(subject: SubjectIdentity): ['doc' | 'nds', string][] {
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
    return inputs;
  }
}
