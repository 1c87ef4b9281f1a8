import { createHash, randomUUID } from 'node:crypto';
import type { LinkageToken, RegisterRecord, ReporterType } from '@ketenpoort/signal-contract';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A well-formed token `v1.register.<kind>.<base32>` derived from a test label (no real identifier). */
export function aToken(kind: 'nds' | 'doc' | 'case', label: string): LinkageToken {
  const bytes = createHash('sha256').update(`${kind}:${label}`).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return { kind, value: `v1.register.${kind}.${out}` };
}

/** Builder of the record the gateway forwards, with sensible defaults. */
export class RegisterRecordBuilder {
  private record: RegisterRecord = {
    recordId: randomUUID(),
    correlationId: randomUUID(),
    reporter: { organisation: 'politie-oost-brabant', type: 'police' },
    purpose: 'registration',
    dossierType: 'registration',
    legalGround: 'wpg-art-18',
    policyVersion: '2020.1',
    keyVersion: 1,
    reportedAt: '2020-03-14',
    receivedAt: '2020-03-14T10:00:00Z',
    tokens: [],
    data: {
      subject: { birthYear: 1999, sex: 'female', nationalities: ['PL'] },
      exploitation: { forms: ['labour'], sector: 'agriculture' },
    },
    flags: [],
  };

  by(type: ReporterType, organisation = type): this {
    this.record = { ...this.record, reporter: { type, organisation } };
    return this;
  }

  reportedAt(reportedAt: string): this {
    this.record = { ...this.record, reportedAt };
    return this;
  }

  withTokens(...tokens: LinkageToken[]): this {
    this.record = { ...this.record, tokens };
    return this;
  }

  withSubject(subject: Record<string, unknown>): this {
    this.record = { ...this.record, data: { ...this.record.data, subject } };
    return this;
  }

  withForms(...forms: string[]): this {
    this.record = { ...this.record, data: { ...this.record.data, exploitation: { forms } } };
    return this;
  }

  withData(data: Record<string, unknown>): this {
    this.record = { ...this.record, data };
    return this;
  }

  build(): RegisterRecord {
    return structuredClone(this.record);
  }
}

export const aRecord = () => new RegisterRecordBuilder();
