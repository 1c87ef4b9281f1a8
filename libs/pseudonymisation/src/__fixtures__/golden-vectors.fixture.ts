import type { SubjectIdentity } from '../normalise/canonical-input.js';

/**
 * Golden vectors, generated once by running the code (any-ascii 0.3.3), checked by eye and pinned here.
 * Tokens use TEST_KEY_RING_DATA (version 1 = bytes 0x00..0x1f, version 2 = 0x20..0x3f).
 *
 * DO NOT regenerate these to make a failing test pass. A change here means every token already issued would
 * change: a normaliser or derivation change is a key rotation (new key version), not a patch.
 */
export const GOLDEN_SUBJECTS: Record<string, SubjectIdentity> = {
  anna: {
    givenNames: 'Anna Maria',
    familyName: 'Kowalska',
    birthDate: '1999-04-12',
    sex: 'female',
    documents: [
      {
        type: 'passport',
        country: 'PL',
        number: 'EA1234567',
      },
    ],
  },
  nguyen: {
    givenNames: 'Thị Minh Khai',
    familyName: 'Nguyễn',
    birthDate: '1985-07-01',
    sex: 'male',
    documents: [
      {
        type: 'residence-permit',
        country: 'NL',
        number: 'V 123 456 78',
      },
    ],
  },
};

export const GOLDEN_VECTORS = {
  names: [
    {
      input: 'Łukasz',
      tokens: ['lukasz'],
    },
    {
      input: 'Müller',
      tokens: ['muller'],
    },
    {
      input: 'Иванова',
      tokens: ['ivanova'],
    },
    {
      input: 'Nguyễn Thị Minh Khai',
      tokens: ['nguyen', 'thi', 'minh', 'khai'],
    },
    {
      input: "O'Brien-Smith",
      tokens: ['obrien', 'smith'],
    },
    {
      input: 'O’Brien-Smith',
      tokens: ['obrien', 'smith'],
    },
    {
      input: 'van der Berg',
      tokens: ['van', 'der', 'berg'],
    },
    {
      input: 'Ωμέγα Παπαδοπούλου',
      tokens: ['omega', 'papadopoyloy'],
    },
    {
      input: 'محمد',
      tokens: ['mhmd'],
    },
    {
      input: '  ANNA   maria  ',
      tokens: ['anna', 'maria'],
    },
    {
      input: 'Straße',
      tokens: ['strasse'],
    },
    {
      input: 'Dvořák, Jiří',
      tokens: ['dvorak', 'jiri'],
    },
    {
      input: 'Şahin İbrahim',
      tokens: ['sahin', 'ibrahim'],
    },
    {
      input: 'Ngozi Chukwuemeka-Okafor',
      tokens: ['ngozi', 'chukwuemeka', 'okafor'],
    },
  ],
  nameTokens: [
    {
      parts: ['Anna Maria', 'Kowalska'],
      tokens: ['anna', 'kowalska', 'maria'],
    },
    {
      parts: ['Kowalska Anna Maria'],
      tokens: ['anna', 'kowalska', 'maria'],
    },
    {
      parts: ['KOWALSKA', '  anna-maria '],
      tokens: ['anna', 'kowalska', 'maria'],
    },
    {
      parts: ['Nguyễn Thị Minh Khai'],
      tokens: ['khai', 'minh', 'nguyen', 'thi'],
    },
    {
      parts: ['Khai', 'Nguyen Thi Minh'],
      tokens: ['khai', 'minh', 'nguyen', 'thi'],
    },
  ],
  documentNumbers: [
    {
      input: ' ea 123-45.67 ',
      normalised: 'EA1234567',
    },
    {
      input: 'AB/12.34-56',
      normalised: 'AB123456',
    },
    {
      input: 'ЕА1234567',
      normalised: 'EA1234567',
    },
    {
      input: 'x 9',
      normalised: 'X9',
    },
  ],
  recipientKeys: [
    {
      recipient: 'register',
      version: 1,
      key: 'bc68ef369d33cbe5821010cd74e8ff6c5b80fc0b076e22889c6c13ec2d0284d0',
    },
    {
      recipient: 'audit',
      version: 1,
      key: '757c9b2d50d2d3373e31a07ec5221e59842c6ce14fed708cfae0f23678d41240',
    },
    {
      recipient: 'register',
      version: 2,
      key: 'aedaddbadad46e35af279b932b756a0187edb6dce7c5f69af99ba69974d00ebc',
    },
  ],
  fingerprints: {
    '1': '414b9805f48a8800',
    '2': '1403e27bab215a02',
  },
  linkage: [
    {
      subject: 'anna',
      recipient: 'register',
      version: 1,
      tokens: [
        {
          kind: 'doc',
          value: 'v1.register.doc.zd7vwrq55rwkudahz3rodvwqsmqh3runieu67djq3sjv7dledjqa',
        },
        {
          kind: 'nds',
          value: 'v1.register.nds.5lgj3a4krbsi2ytdxfc64qzddx54lkj6rarbsw36rkbi4jaoygfq',
        },
      ],
    },
    {
      subject: 'anna',
      recipient: 'register',
      version: 2,
      tokens: [
        {
          kind: 'doc',
          value: 'v2.register.doc.u77oiiojgv7gwnchloqjctwamshhpcfaki5a64r3gqc2rxh7sgoa',
        },
        {
          kind: 'nds',
          value: 'v2.register.nds.ms63ykuh2ebd4naf47lc6kat6lgbwehkasf53sfkydnlfwqzroha',
        },
      ],
    },
    {
      subject: 'nguyen',
      recipient: 'register',
      version: 1,
      tokens: [
        {
          kind: 'doc',
          value: 'v1.register.doc.4n7qxyua56sisrervabgzpq24beozxhijhc6lkivrpwptck7jhwa',
        },
        {
          kind: 'nds',
          value: 'v1.register.nds.wj7lzkr4yeceultc2xaqhp5bpqlmq5rypwiqssozbpble2fccita',
        },
      ],
    },
    {
      subject: 'nguyen',
      recipient: 'register',
      version: 2,
      tokens: [
        {
          kind: 'doc',
          value: 'v2.register.doc.ho6meyb265z7paoxbwvp35buhc5mo44oafyur4qsckr6cy2dunhq',
        },
        {
          kind: 'nds',
          value: 'v2.register.nds.wqqcxrok225tnjr4ne6d6d6i2nkby4akhve46caxreji5hu5r3iq',
        },
      ],
    },
  ],
  subj: [
    {
      subject: 'anna',
      tokens: [
        'v1.audit.subj.jlpr3wexulilgj2ltg5t7rhnap46t5zdotqkrtysphgsypprxwxq',
        'v1.audit.subj.kuxmfs7jrcu47cczszlilc52tw74tnkbohsrvgckhsoyek76nwlq',
      ],
    },
    {
      subject: 'nguyen',
      tokens: [
        'v1.audit.subj.a4ej2alb4zieji2u6y3iflzifzdjiplhk2uouqlnlwg2rabcgpaq',
        'v1.audit.subj.mvol6wumysywcfogw5hnh5hhinl54avx3uxi4ei4xmxvjoqbtjsq',
      ],
    },
  ],
  caseTokens: [
    {
      reference: 'POL-2020-001234',
      token: 'v1.register.case.jtmojq3vprj4bt5dagxq2orufpv2d2xbdhorcbpir5722kp267jq',
    },
  ],
  bodyDigest: {
    value: {
      signalId: '3f0c8a2e-7d1b-4c55-9a1e-0b6f2a9c1d01',
      purpose: 'registration',
      n: 1,
    },
    digest: 'cee0ce020ab0cdb6a8252587ae9f00a52f1c09f355fd7b214fe52df3b0577e75',
  },
} as const;
