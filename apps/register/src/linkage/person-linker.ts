import { LINKING_TOKEN_KINDS, recordsLink } from './link-rule.js';
import type { LinkageStore } from './linkage.store.js';
import type { LinkageSubject } from './linkage-subject.js';

export interface LinkResult {
  personId: string;
  /** Persons that were merged into `personId` because this record linked them. */
  mergedPersonIds: string[];
}

/**
 * Incremental linkage: places one new record in a person. The new record joins every person it links
 * to; when it links several, they merge — so persons stay the connected components of the links
 * whatever the arrival order. The seam a scored linkage replaces.
 */
export class PersonLinker {
  async link(subject: LinkageSubject, store: LinkageStore): Promise<LinkResult> {
    const tokens = subject.tokens.filter((t) => LINKING_TOKEN_KINDS.includes(t.kind));
    const candidates = tokens.length ? await store.findRecordsSharingTokens(tokens, subject.recordId) : [];
    const linked = candidates.filter((candidate) => recordsLink(subject, candidate)).map((c) => c.recordId);
    const persons = [...new Set((await store.personsOf(linked)).values())].sort();
    if (persons.length === 0) {
      const personId = await store.createPerson();
      await store.addRecordToPerson(subject.recordId, personId);
      return { personId, mergedPersonIds: [] };
    }
    const [personId, ...others] = persons;
    if (others.length) await store.mergePersons(personId, others);
    await store.addRecordToPerson(subject.recordId, personId);
    return { personId, mergedPersonIds: others };
  }
}
