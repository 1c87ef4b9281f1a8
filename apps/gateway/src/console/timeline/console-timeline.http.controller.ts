import { Controller, Get, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AUDIT_EVENTS, type AuditEntry } from '@ketenpoort/audit';
import { GatewayError } from '../../common/gateway-error.js';
import { OnListener } from '../../common/listener.js';
import { AuditReviewRepository } from '../../audit/infrastructure/audit-review.repository.js';
import {
  encodeCursor,
  parseReviewQuery,
  type RawQuery,
} from '../../audit/queries/review-audit-entries/audit-review.query-params.js';
import { toReviewedEntry } from '../../audit/queries/review-audit-entries/reviewed-entry.response.dto.js';
import { ConsoleAuth } from '../auth/console-auth.js';
import { ConsoleCatalogue } from '../console-catalogue.js';
import { ConsoleExceptionFilter } from '../console-exception.filter.js';
import { ApiConsolePages } from '../console-openapi.decorators.js';
import { html } from '../console-html.js';
import { sendPage } from '../console-http.js';
import { layout, shortVersion } from '../console-layout.js';
import { entriesTable } from './audit-entries.view.js';

const PAGE = 25;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FILTERS = ['from', 'to', 'partner', 'purpose', 'decision', 'policyVersion'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The timeline of audit entries with filters and keyset paging, and one entry in detail. */
@Controller('console')
@OnListener('admin')
@UseFilters(ConsoleExceptionFilter)
@ApiConsolePages()
export class ConsoleTimelineHttpController {
  constructor(
    private readonly auth: ConsoleAuth,
    private readonly review: AuditReviewRepository,
    private readonly catalogue: ConsoleCatalogue,
  ) {}

  @Get('timeline')
  async timeline(
    @Req() request: Request,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
  ) {
    const ctx = this.auth.require(request, ['privacy-officer', 'auditor']);
    const { t, actor } = ctx;
    const filters: Filters = {};
    for (const name of FILTERS) {
      const value = query[name];
      if (typeof value === 'string' && value !== '') filters[name] = value.slice(0, 100);
    }
    const cursor = typeof query.cursor === 'string' && query.cursor ? query.cursor : undefined;
    let problem: string | undefined;
    let entries: ReturnType<typeof toReviewedEntry>[] = [];
    let nextCursor: string | null = null;
    try {
      for (const name of ['from', 'to'] as const) {
        if (filters[name] && !DATE.test(filters[name]!)) {
          throw new GatewayError('AUDIT.QUERY_INVALID', `${t[name]}: YYYY-MM-DD`);
        }
      }
      const raw: RawQuery = {
        from: filters.from,
        to: filters.to ? nextDay(filters.to) : undefined,
        partner: filters.partner,
        purpose: filters.purpose,
        event: filters.decision,
        policyVersion: filters.policyVersion,
        cursor,
        limit: String(PAGE),
      };
      for (const key of Object.keys(raw)) if (raw[key] === undefined) delete raw[key];
      const { filter, after, limit } = parseReviewQuery(raw, actor);
      const rows = await this.review.search(filter, after, limit + 1);
      entries = rows.slice(0, limit).map(toReviewedEntry);
      if (rows.length > limit) nextCursor = encodeCursor(entries[entries.length - 1].idx);
    } catch (error) {
      if (!(error instanceof GatewayError) || !['AUDIT.QUERY_INVALID', 'AUTH.SCOPE'].includes(error.code))
        throw error;
      problem = error.message;
    }
    const [partners, versions] = await Promise.all([
      this.catalogue.partners(actor),
      this.catalogue.policyVersions(),
    ]);
    const purposes = this.catalogue.purposes();
    const select = (name: keyof Filters, label: string, options: { value: string; text: string }[]) =>
      html`<div>
        <label for="f-${name}">${label}</label
        ><select id="f-${name}" name="${name}">
          <option value="">${t.any}</option>
          ${options.map(
            (o) =>
              html`<option value="${o.value}" ${filters[name] === o.value ? html` selected` : ''}>
                ${o.text}
              </option>`,
          )}
        </select>
      </div>`;
    const filterQuery = new URLSearchParams(
      Object.entries(filters).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const nextHref = nextCursor
      ? `/console/timeline?${new URLSearchParams([...filterQuery, ['cursor', nextCursor]])}`
      : null;
    const firstHref = `/console/timeline${filterQuery.size ? `?${filterQuery}` : ''}`;
    const body = html`<form
        class="filters"
        method="get"
        action="/console/timeline"
        role="search"
        aria-label="${t.filters}"
      >
        <div>
          <label for="f-from">${t.from}</label
          ><input id="f-from" name="from" type="date" value="${filters.from ?? ''}" />
        </div>
        <div>
          <label for="f-to">${t.to}</label
          ><input id="f-to" name="to" type="date" value="${filters.to ?? ''}" />
        </div>
        ${select(
          'partner',
          t.partner,
          partners.map((p) => ({ value: p.id, text: `${p.id} — ${p.name}` })),
        )}
        ${select(
          'purpose',
          t.purpose,
          purposes.map((p) => ({ value: p, text: p })),
        )}
        ${select(
          'decision',
          t.decision,
          AUDIT_EVENTS.map((e) => ({ value: e, text: e })),
        )}
        ${select(
          'policyVersion',
          t.policyVersion,
          versions.map((v) => ({ value: v.version, text: `${v.version.slice(0, 12)} (${v.status})` })),
        )}
        <div class="actions">
          <button type="submit">${t.apply}</button><a href="/console/timeline">${t.reset}</a>
        </div>
      </form>
      ${problem ? html`<p class="flash error" role="alert">${problem}</p>` : ''}
      ${entriesTable(t, entries, `${entries.length} ${t.entriesShown}`)}
      <nav class="actions" aria-label="${t.nextPage}">
        ${cursor ? html`<a href="${firstHref}">${t.firstPage}</a>` : ''}
        ${nextHref ? html`<a href="${nextHref}" rel="next">${t.nextPage}</a>` : ''}
      </nav>`;
    sendPage(response, layout(ctx, t.timelineTitle, body), problem ? 400 : 200);
  }

  @Get('entries/:idx')
  async entry(@Param('idx') idxText: string, @Req() request: Request, @Res() response: Response) {
    const ctx = this.auth.require(request, ['privacy-officer', 'auditor']);
    const { t, actor } = ctx;
    const idx = /^\d{1,15}$/.test(idxText) ? Number(idxText) : -1;
    const [row] =
      idx >= 0 ? await this.review.search({ indexes: [idx], partnerScope: actor.partnerScope }, -1, 1) : [];
    if (!row) throw new GatewayError('CONSOLE.NOT_FOUND', t.notFound);
    const { entry, leafHash } = toReviewedEntry(row);
    const fact = (label: string, value: unknown) =>
      value === undefined || value === null
        ? ''
        : html`<dt>${label}</dt>
            <dd>${String(value)}</dd>`;
    const fields = (entry as AuditEntry).fields ?? [];
    const body = html`<dl class="facts">
        ${fact(t.index, idx)}${fact(t.time, entry.at)}${fact(t.event, entry.event)}${fact(t.partner, entry.partnerId)}
        ${fact(t.purpose, entry.purpose)}${fact(t.legalGround, entry.legalGround)}
        ${
          entry.policyVersion
            ? html`<dt>${t.policyVersion}</dt>
                <dd>${shortVersion(entry.policyVersion)}</dd>`
            : ''
        }
        ${fact(t.actor, entry.actor)}${fact(t.reason, entry.reason)}${fact('correlationId', entry.correlationId)}
        ${fact('signalId', entry.signalId)}${fact('recordId', entry.recordId)}${fact(t.requestReference, entry.requestReference)}
        ${fact(t.matches, entry.matches)}${fact(t.flags, entry.flags?.join(', '))}
        ${fact(t.subjectCommitments, entry.subjectCommitments?.length)}
        <dt>${t.leafHash}</dt>
        <dd><code>${leafHash}</code></dd>
      </dl>
      ${
        fields.length
          ? html`<table>
              <caption>
                ${t.fields}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t.field}</th>
                  <th scope="col">${t.action}</th>
                </tr>
              </thead>
              <tbody>
                ${fields.map(
                  (f) =>
                    html`<tr>
                      <td><code>${f.field}</code></td>
                      <td>${f.action}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : ''
      }
      <h2>${t.rawEntry}</h2>
      <pre>${JSON.stringify(entry, null, 2)}</pre>
      <p><a href="/console/timeline">${t.back}</a></p>`;
    sendPage(response, layout(ctx, `${t.entryTitle} #${idx}`, body));
  }
}
