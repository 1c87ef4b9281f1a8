import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { GatewayError } from '../../common/gateway-error.js';
import { OnListener } from '../../common/listener.js';
import {
  AuditReviewRepository,
  type AuditOverviewRows,
} from '../../audit/infrastructure/audit-review.repository.js';
import { parseTimeRange } from '../../audit/queries/review-audit-entries/audit-review.query-params.js';
import { ConsoleAuth } from '../auth/console-auth.js';
import { ConsoleExceptionFilter } from '../console-exception.filter.js';
import { ApiConsolePages } from '../console-openapi.decorators.js';
import { html } from '../console-html.js';
import { sendPage } from '../console-http.js';
import { layout } from '../console-layout.js';

const ACTIONS = ['forwarded', 'pseudonymised', 'generalised', 'dropped'] as const;
type Action = (typeof ACTIONS)[number];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface PurposeBlock {
  received: number;
  fields: Map<string, Record<Action, number>>;
}

function group(rows: AuditOverviewRows): Map<string, Map<string, PurposeBlock>> {
  const partners = new Map<string, Map<string, PurposeBlock>>();
  const block = (partnerId: string, purpose: string) => {
    const byPurpose = partners.get(partnerId) ?? new Map<string, PurposeBlock>();
    partners.set(partnerId, byPurpose);
    const found = byPurpose.get(purpose) ?? { received: 0, fields: new Map() };
    byPurpose.set(purpose, found);
    return found;
  };
  for (const r of rows.received) block(r.partnerId, r.purpose).received = r.count;
  for (const r of rows.fields) {
    const fields = block(r.partnerId, r.purpose).fields;
    const counts = fields.get(r.field) ?? { forwarded: 0, pseudonymised: 0, generalised: 0, dropped: 0 };
    if ((ACTIONS as readonly string[]).includes(r.action)) counts[r.action as Action] += r.count;
    fields.set(r.field, counts);
  }
  return partners;
}

/** Per partner and purpose, per field: how often it was released, pseudonymised, generalised or dropped. */
@Controller('console')
@OnListener('admin')
@UseFilters(ConsoleExceptionFilter)
@ApiConsolePages()
export class ConsoleOverviewHttpController {
  constructor(
    private readonly auth: ConsoleAuth,
    private readonly review: AuditReviewRepository,
  ) {}

  @Get('overview')
  async overview(
    @Req() request: Request,
    @Res() response: Response,
    @Query('from') fromText?: string,
    @Query('to') toText?: string,
  ) {
    const ctx = this.auth.require(request, ['privacy-officer', 'auditor']);
    const { t, actor } = ctx;
    const from = typeof fromText === 'string' && DATE.test(fromText) ? fromText : undefined;
    const to = typeof toText === 'string' && DATE.test(toText) ? toText : undefined;
    if ((fromText && !from) || (toText && !to))
      throw new GatewayError('AUDIT.QUERY_INVALID', `${t.from} / ${t.to}: YYYY-MM-DD`);
    let end: string | undefined;
    if (to) {
      const d = new Date(`${to}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 1);
      end = d.toISOString().slice(0, 10);
    }
    const range = parseTimeRange({ from, to: end });
    const rows = await this.review.overview({ ...range, partnerScope: actor.partnerScope });
    const partners = group(rows);
    const sections = [...partners].map(
      ([partnerId, purposes]) =>
        html`<section aria-labelledby="p-${partnerId}">
          <h2 id="p-${partnerId}">${t.partner}: ${partnerId}</h2>
          ${[...purposes].map(
            ([purpose, { received, fields }]) =>
              html`<table>
                <caption>
                  ${t.purpose}: ${purpose} — ${received} ${t.received}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t.field}</th>
                    ${ACTIONS.map((a) => html`<th scope="col" class="num">${t[a]}</th>`)}
                  </tr>
                </thead>
                <tbody>
                  ${[...fields].map(
                    ([field, counts]) =>
                      html`<tr>
                        <th scope="row"><code>${field}</code></th>
                        ${ACTIONS.map((a) => html`<td class="num">${counts[a]}</td>`)}
                      </tr>`,
                  )}
                </tbody>
              </table>`,
          )}
        </section>`,
    );
    const body = html`<form class="filters" method="get" action="/console/overview" aria-label="${t.filters}">
        <div>
          <label for="o-from">${t.from}</label
          ><input id="o-from" name="from" type="date" value="${from ?? ''}" />
        </div>
        <div>
          <label for="o-to">${t.to}</label><input id="o-to" name="to" type="date" value="${to ?? ''}" />
        </div>
        <div class="actions"><button type="submit">${t.show}</button></div>
      </form>
      ${sections.length ? sections : html`<p>${t.nothingYet}</p>`}
      <h2>${t.refusals}</h2>
      ${
        rows.refusals.length
          ? html`<table>
              <thead>
                <tr>
                  <th scope="col">${t.partner}</th>
                  <th scope="col">${t.reason}</th>
                  <th scope="col" class="num">${t.count}</th>
                </tr>
              </thead>
              <tbody>
                ${rows.refusals.map(
                  (r) =>
                    html`<tr>
                      <td>${r.partnerId ?? '—'}</td>
                      <td>${r.reason}</td>
                      <td class="num">${r.count}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p>${t.nothingYet}</p>`
      }
      <p>${t.subjectLookups}: <strong>${rows.subjectLookups}</strong></p>`;
    sendPage(response, layout(ctx, t.overviewTitle, body));
  }
}
