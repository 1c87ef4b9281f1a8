import { randomUUID } from 'node:crypto';

type Plain = Record<string, unknown>;

const clone = <T>(value: T): T => structuredClone(value);

function isPlain(value: unknown): value is Plain {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Builds a plain signal v1 object (valid for `validateSignal` by default) for tests. */
export class SignalBuilder {
  private readonly body: Plain;

  constructor(body?: Plain) {
    this.body = body ?? {
      signalId: randomUUID(),
      purpose: 'registration',
      reportedAt: '2020-03-14',
      consent: { status: 'given', by: 'subject', date: '2020-03-14' },
      subject: {
        givenNames: 'Anna Maria',
        familyName: 'Kowalska',
        birthDate: '1999-04-12',
        birthDateEstimated: false,
        sex: 'female',
        nationalities: ['PL'],
        documents: [{ type: 'passport', country: 'PL', number: 'EA1234567' }],
        phone: '+48600100200',
        address: { street: 'Dorpsstraat 1', postcode: '5211 AB', municipality: 'GM0796' },
        languages: ['pl'],
      },
      exploitation: {
        forms: ['labour'],
        sector: 'agriculture',
        countries: ['NL'],
        policeUnit: 'oost-brabant',
        startedAt: '2019-11',
        endedAt: '2020-02',
      },
      situation: {
        needsShelter: true,
        residence: 'eu-citizen',
        multiProblem: false,
        healthNotes: 'Needs a dentist',
        narrative: 'Worked on a farm near Boxtel',
      },
      case: {
        reference: 'POL-2020-001234',
        officer: { name: 'Jan de Vries', email: 'j.devries@politie.example' },
      },
    };
  }

  private next(change: (body: Plain) => void): SignalBuilder {
    const body = clone(this.body);
    change(body);
    return new SignalBuilder(body);
  }

  private merge(key: string, part: Plain): SignalBuilder {
    return this.next((body) => {
      body[key] = { ...(isPlain(body[key]) ? body[key] : {}), ...clone(part) };
    });
  }

  withSignalId(signalId: string): SignalBuilder {
    return this.with('signalId', signalId);
  }

  withPurpose(purpose: string): SignalBuilder {
    return this.with('purpose', purpose);
  }

  withReportedAt(reportedAt: string): SignalBuilder {
    return this.with('reportedAt', reportedAt);
  }

  /** Merges into `consent`. */
  withConsent(consent: Plain): SignalBuilder {
    return this.merge('consent', consent);
  }

  /** Merges into `subject` (top-level keys replace). */
  withSubject(subject: Plain): SignalBuilder {
    return this.merge('subject', subject);
  }

  withExploitation(exploitation: Plain): SignalBuilder {
    return this.merge('exploitation', exploitation);
  }

  withSituation(situation: Plain): SignalBuilder {
    return this.merge('situation', situation);
  }

  withCase(caseBlock: Plain): SignalBuilder {
    return this.merge('case', caseBlock);
  }

  /** Sets a value at a dotted path (`subject.address.street`), creating objects on the way. */
  with(path: string, value: unknown): SignalBuilder {
    return this.next((body) => {
      const parts = path.split('.');
      let node = body;
      for (const part of parts.slice(0, -1)) {
        if (!isPlain(node[part])) node[part] = {};
        node = node[part] as Plain;
      }
      node[parts.at(-1)!] = clone(value);
    });
  }

  /** Removes the value at a dotted path (`subject.documents`, `consent`); no-op when absent. */
  without(path: string): SignalBuilder {
    return this.next((body) => {
      const parts = path.split('.');
      let node: unknown = body;
      for (const part of parts.slice(0, -1)) node = isPlain(node) ? node[part] : undefined;
      if (isPlain(node)) delete node[parts.at(-1)!];
    });
  }

  /** A fresh plain object each call. */
  build(): Plain {
    return clone(this.body);
  }
}

/**
 * A test signal with realistic defaults (the PRODUCT.md example, a fresh signalId).
 *
 * @example aSignal().withSubject({ birthDate: '2005' }).without('subject.documents').build()
 */
export function aSignal(): SignalBuilder {
  return new SignalBuilder();
}
