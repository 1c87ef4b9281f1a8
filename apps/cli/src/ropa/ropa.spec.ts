import { describe, expect, it } from '@jest/globals';
import { loadPolicyFile, NOT_PERMITTED } from '@ketenpoort/policy';
import { loadPartnersFile } from '@ketenpoort/pki';
import { DIRECT_IDENTIFIER_FIELDS } from '@ketenpoort/signal-contract';
import { runRopa, type Ropa } from './ropa.js';

const policy = loadPolicyFile('config/policies/register.yaml');
const { partners } = loadPartnersFile('config/partners.yaml');
const releasedIn = (purposeId: string) =>
  Object.entries(policy.purposes.find((p) => p.id === purposeId)!.fields)
    .filter(([, outputs]) => outputs!.some((o) => o.action !== 'drop'))
    .map(([field]) => field)
    .sort();

/** Rows of the released-data table of one purpose's section. */
function markdownReleased(md: string, purposeId: string): string[] {
  const section = md.split('\n## ').find((s) => s.includes(`purpose \`${purposeId}\``))!;
  const table = section.split('### Categories of data released')[1].split('###')[0];
  return table
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| field'))
    .map((l) => l.split('|')[1].trim())
    .sort();
}

describe('ropa', () => {
  const sut = (format: 'md' | 'json') => runRopa({ configDir: 'config', format });

  it('lists every purpose of the shipped policy and nothing else', () => {
    const ropa = JSON.parse(sut('json')) as Ropa;
    expect(ropa.activities.map((a) => a.purpose)).toEqual(policy.purposes.map((p) => p.id));
    for (const p of policy.purposes) expect(sut('md')).toContain(`purpose \`${p.id}\``);
  });

  it('names the legal ground and consent rule of every reporter type per purpose', () => {
    const ropa = JSON.parse(sut('json')) as Ropa;
    const md = sut('md');
    for (const purpose of policy.purposes) {
      const activity = ropa.activities.find((a) => a.purpose === purpose.id)!;
      for (const [type, ground] of Object.entries(purpose.grounds)) {
        const listed = activity.grounds.find((g) => g.reporterType === type)!;
        if (ground === NOT_PERMITTED) expect(listed.consent).toBe('not-permitted');
        else {
          expect(listed).toEqual({
            reporterType: type,
            legalGround: ground.legalGround,
            consent: ground.consent,
          });
          expect(md).toContain(`| ${type} | ${ground.legalGround} | ${ground.consent} |`);
        }
      }
    }
  });

  it('lists exactly the released fields per purpose, in JSON and Markdown', () => {
    const ropa = JSON.parse(sut('json')) as Ropa;
    const md = sut('md');
    for (const purpose of policy.purposes) {
      const expected = releasedIn(purpose.id);
      expect(
        ropa.activities
          .find((a) => a.purpose === purpose.id)!
          .released.map((r) => r.field)
          .sort(),
      ).toEqual(expected);
      expect(markdownReleased(md, purpose.id)).toEqual(expected);
    }
  });

  it('never lists a direct identifier as forwarded', () => {
    const ropa = JSON.parse(sut('json')) as Ropa;
    for (const released of ropa.activities.flatMap((a) => a.released)) {
      if ((DIRECT_IDENTIFIER_FIELDS as readonly string[]).includes(released.field))
        expect(released.how).not.toContain('forwarded');
    }
  });

  it('names retention, recipient and the partners allowed per purpose', () => {
    const ropa = JSON.parse(sut('json')) as Ropa;
    for (const purpose of policy.purposes) {
      const activity = ropa.activities.find((a) => a.purpose === purpose.id)!;
      expect(activity.retention).toBe(purpose.retention);
      expect(activity.recipients).toEqual([policy.destination]);
      expect(activity.sources.map((s) => s.partner).sort()).toEqual(
        partners
          .filter((p) => p.purposes.includes(purpose.id))
          .map((p) => p.id)
          .sort(),
      );
    }
  });
});
