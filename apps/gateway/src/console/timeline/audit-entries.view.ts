import type { AuditEntry } from '@ketenpoort/audit';
import { html, type SafeHtml } from '../console-html.js';
import type { Labels } from '../console-i18n.js';
import { shortVersion } from '../console-layout.js';

export interface ShownEntry {
  idx: number;
  leafHash: string;
  entry: AuditEntry;
}

/** A table of audit entries (what the review API returns: no openings, no personal data). */
export function entriesTable(t: Labels, entries: ShownEntry[], caption: string): SafeHtml {
  if (entries.length === 0) return html`<p>${t.noEntries}</p>`;
  const rows = entries.map(
    ({ idx, entry }) =>
      html`<tr>
        <td class="num"><a href="/console/entries/${idx}">${idx}</a></td>
        <td><time datetime="${entry.at}">${entry.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time></td>
        <td>${entry.event}</td>
        <td>${entry.partnerId ?? '—'}</td>
        <td>${entry.purpose ?? '—'}</td>
        <td>${shortVersion(entry.policyVersion)}</td>
        <td>${entry.actor ?? '—'}</td>
        <td>${entry.reason ?? ''}</td>
      </tr>`,
  );
  return html`<table>
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col" class="num">${t.index}</th>
        <th scope="col">${t.time}</th>
        <th scope="col">${t.event}</th>
        <th scope="col">${t.partner}</th>
        <th scope="col">${t.purpose}</th>
        <th scope="col">${t.policyVersion}</th>
        <th scope="col">${t.actor}</th>
        <th scope="col">${t.reason}</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}
