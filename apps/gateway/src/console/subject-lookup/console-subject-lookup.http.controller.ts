import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DOCUMENT_TYPES, SEXES } from '@ketenpoort/signal-contract';
import { ERROR_STATUS, GatewayError } from '../../common/gateway-error.js';
import { OnListener } from '../../common/listener.js';
import { parseSubjectLookupRequest } from '../../audit/queries/subject-lookup/subject-lookup.request.js';
import { SubjectLookupRateLimiter } from '../../audit/queries/subject-lookup/subject-lookup.rate-limiter.js';
import {
  SubjectLookupService,
  type SubjectLookupResult,
} from '../../audit/queries/subject-lookup/subject-lookup.service.js';
import { ConsoleAuth, type SignedInContext } from '../auth/console-auth.js';
import { ConsoleExceptionFilter } from '../console-exception.filter.js';
import { ApiConsoleAnswer, ApiConsolePages } from '../console-openapi.decorators.js';
import { html } from '../console-html.js';
import { sendPage } from '../console-http.js';
import { csrfField, layout } from '../console-layout.js';
import { entriesTable } from '../timeline/audit-entries.view.js';

const TEXT_FIELDS = ['givenNames', 'familyName', 'birthDate'] as const;

/**
 * Subject lookup for a subject-access request (privacy officers only). The identifiers typed here go to
 * the lookup service and nowhere else: the answer page does not repeat them, nothing is logged.
 */
@Controller('console/subject-lookup')
@OnListener('admin')
@UseFilters(ConsoleExceptionFilter)
@ApiConsolePages()
export class ConsoleSubjectLookupHttpController {
  constructor(
    private readonly auth: ConsoleAuth,
    private readonly limiter: SubjectLookupRateLimiter,
    private readonly lookups: SubjectLookupService,
  ) {}

  @Get()
  form(@Req() request: Request, @Res() response: Response): void {
    const ctx = this.auth.require(request, ['privacy-officer']);
    sendPage(response, this.page(ctx));
  }

  @Post()
  @ApiConsoleAnswer('page')
  async lookup(@Req() request: Request & { correlationId: string }, @Res() response: Response) {
    const { ctx, form } = await this.auth.form(request, ['privacy-officer']);
    const value = (name: string) => {
      const v = form.get(name)?.trim();
      return v ? v : undefined;
    };
    const subject: Record<string, unknown> = {};
    for (const name of [...TEXT_FIELDS, 'sex']) if (value(name)) subject[name] = value(name);
    if (value('documentNumber') || value('documentType')) {
      subject.documents = [
        { type: value('documentType'), country: value('documentCountry'), number: value('documentNumber') },
      ].map((d) => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)));
    }
    try {
      const parsed = parseSubjectLookupRequest({
        requestReference: value('requestReference') ?? '',
        subject,
      });
      this.limiter.take(ctx.actor.sub);
      const result = await this.lookups.lookup(parsed, ctx.actor, request.correlationId);
      sendPage(response, this.page(ctx, result));
    } catch (error) {
      if (!(error instanceof GatewayError) || !error.code.startsWith('AUDIT.LOOKUP_')) throw error;
      // The message names the field, never the value typed.
      sendPage(response, this.page(ctx, undefined, error.message), ERROR_STATUS[error.code] ?? 400);
    }
  }

  private page(ctx: SignedInContext, result?: SubjectLookupResult, problem?: string) {
    const { t } = ctx;
    const input = (name: string, label: string, attributes = html``) =>
      html`<div class="field">
        <label for="l-${name}">${label}</label
        ><input id="l-${name}" name="${name}" autocomplete="off" ${attributes} />
      </div>`;
    const options = (values: readonly string[]) =>
      html`<option value="">—</option>
        ${values.map((v) => html`<option value="${v}">${v}</option>`)}`;
    const body = html`<p>${t.lookupText}</p>
      ${problem ? html`<p class="flash error" role="alert">${problem}</p>` : ''}
      <form method="post" action="/console/subject-lookup" autocomplete="off">
        ${csrfField(ctx)}
        ${input('requestReference', t.requestReference, html`required pattern="[A-Z0-9]+(-[A-Z0-9]+)*"`)}
        <fieldset>
          <legend>${t.lookupTitle}</legend>
          ${input('givenNames', t.givenNames)}${input('familyName', t.familyName)}
          ${input('birthDate', t.birthDate, html`pattern="\\d{4}(-\\d{2}(-\\d{2})?)?"`)}
          <div class="field">
            <label for="l-sex">${t.sex}</label
            ><select id="l-sex" name="sex">
              ${options(SEXES)}
            </select>
          </div>
          <div class="field">
            <label for="l-documentType">${t.documentType}</label
            ><select id="l-documentType" name="documentType">
              ${options(DOCUMENT_TYPES)}
            </select>
          </div>
          ${input('documentCountry', t.documentCountry, html`maxlength="3"`)}${input('documentNumber', t.documentNumber)}
        </fieldset>
        <button type="submit">${t.lookUp}</button>
      </form>
      ${
        result
          ? html`<section aria-labelledby="result-h">
              <h2 id="result-h">${t.requestReference.replace(/ \(.*\)$/, '')}: ${result.requestReference}</h2>
              <p role="status">
                ${t.matches}: <strong id="matches">${result.matches}</strong> · ${t.keyVersions}:
                ${result.keyVersions.join(', ')}
              </p>
              ${entriesTable(t, result.entries, `${t.matches}: ${result.matches}`)}
            </section>`
          : ''
      }`;
    return layout(ctx, t.lookupTitle, body);
  }
}
