import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import {
  documentSignalContract,
  SIGNAL_V1_DOCS,
  SIGNAL_V1_EXAMPLES,
  type ContractPropertyOptions,
} from './signal.v1.docs.js';
import { validateSignal } from './validate-signal.js';

const validatedProperties = (type: new () => object) =>
  [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(type, '', true, false)
        .map((m) => m.propertyName),
    ),
  ].sort();

describe('SIGNAL_V1_EXAMPLES', () => {
  it.each(Object.entries(SIGNAL_V1_EXAMPLES))('%s is a valid signal v1', (_name, { value }) => {
    const result = validateSignal(JSON.parse(JSON.stringify(value)));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});

describe('SIGNAL_V1_DOCS', () => {
  it.each(SIGNAL_V1_DOCS.map(({ type, docs }) => [type.name, type, docs] as const))(
    'documents every validated property of %s, and nothing else',
    (_name, type, docs) => {
      expect(Object.keys(docs).sort()).toEqual(validatedProperties(type));
    },
  );

  const properties = SIGNAL_V1_DOCS.flatMap(({ type, docs }) =>
    Object.entries(docs).map(([property, doc]) => [`${type.name}.${property}`, type, property, doc] as const),
  );

  it.each(properties)(
    'gives %s a description, and an example unless it is a nested object',
    (_name, _t, _p, doc) => {
      expect(doc.description.length).toBeGreaterThan(0);
      const nestedObject = typeof doc.type === 'function' && !doc.isArray;
      expect(doc.example === undefined).toBe(nestedObject);
    },
  );

  it.each(properties.filter(([, , , doc]) => doc.example !== undefined))(
    'the example of %s passes its validators',
    (_name, type, property, doc) => {
      const instance = plainToInstance(type as new () => object, { [property]: doc.example });
      const errors = validateSync(instance, { skipMissingProperties: true }).filter(
        (e) => e.property === property,
      );
      expect(errors).toEqual([]);
    },
  );
});

describe(documentSignalContract.name, () => {
  it('hands every documented property to the decorator once, required unless @IsOptional', () => {
    const handed: Array<{ type: string; property: string; required: boolean }> = [];
    documentSignalContract((options: ContractPropertyOptions) => (target, property) => {
      handed.push({ type: target.constructor.name, property: String(property), required: options.required });
    });
    documentSignalContract(() => () => handed.push({ type: 'again', property: '', required: false }));

    const expected = SIGNAL_V1_DOCS.flatMap(({ type, docs }) =>
      Object.keys(docs).map((p) => `${type.name}.${p}`),
    );
    expect(handed.map((h) => `${h.type}.${h.property}`)).toEqual(expected);
    const required = handed.filter((h) => h.required).map((h) => `${h.type}.${h.property}`);
    expect(required).toEqual([
      'ConsentDto.status',
      'IdentityDocumentDto.type',
      'IdentityDocumentDto.number',
      'ExploitationDto.forms',
      'SignalV1Dto.signalId',
      'SignalV1Dto.purpose',
      'SignalV1Dto.reportedAt',
      'SignalV1Dto.subject',
      'SignalV1Dto.exploitation',
    ]);
  });
});
