import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { KeyRing, Pseudonymiser } from '@ketenpoort/pseudonymisation';
import { explain, type Explanation, type Policy } from '@ketenpoort/policy';
import { validateSignal } from '@ketenpoort/signal-contract';
import { GatewayError } from '../../common/gateway-error.js';
import { OnListener } from '../../common/listener.js';
import { AuditLog } from '../../audit/infrastructure/audit-log.repository.js';
import { ActiveConfiguration } from '../../governance/active-configuration.js';
import { parsePolicyDocument } from '../../governance/governed-document.js';
import { GovernedVersionRepository } from '../../governance/infrastructure/governed-version.repository.js';
import { ConsoleAuth, type SignedInContext } from '../auth/console-auth.js';
import { ConsoleCatalogue } from '../console-catalogue.js';
import { ConsoleExceptionFilter } from '../console-exception.filter.js';
import { ApiConsoleAnswer, ApiConsolePages } from '../console-openapi.decorators.js';
import { html } from '../console-html.js';
import { sendPage } from '../console-http.js';
import { csrfField, layout, shortVersion } from '../console-layout.js';

const ROLES = ['privacy-officer', 'integrator'] as const;
const VERSION = /^[0-9a-f]{64}$/;

interface ExplainForm {
  partnerId: string;
  version: string;
  sample: string;
}

/**
 * Explain a sample signal: the same dry run as `POST /v1/policies/explain` — tokens under a throw-away
 * dry-run key ring made at start, never the production key; nothing stored or forwarded; the explanation
 * itself is audited (who, which partner, which version), never the sample.
 */
@Controller('console/explain')
@OnListener('admin')
@UseFilters(ConsoleExceptionFilter)
@ApiConsolePages()
export class ConsoleExplainHttpController {
  private readonly dryRun = new Pseudonymiser(KeyRing.fromData(KeyRing.generateData()), 'dry-run');

  constructor(
    private readonly auth: ConsoleAuth,
    private readonly catalogue: ConsoleCatalogue,
    private readonly active: ActiveConfiguration,
    private readonly versions: GovernedVersionRepository,
    private readonly auditLog: AuditLog,
  ) {}

  @Get()
  async form(@Req() request: Request, @Res() response: Response) {
    const ctx = this.auth.require(request, [...ROLES]);
    sendPage(response, await this.page(ctx, { partnerId: '', version: '', sample: '' }));
  }

  @Post()
  @ApiConsoleAnswer('page')
  async explain(@Req() request: Request, @Res() response: Response) {
    const { ctx, form } = await this.auth.form(request, [...ROLES]);
    const { t } = ctx;
    const input: ExplainForm = {
      partnerId: form.get('partnerId') ?? '',
      version: form.get('version') ?? '',
      sample: form.get('sample') ?? '',
    };
    try {
      const partner = this.active.partners.byId(input.partnerId);
      if (!partner) throw new GatewayError('EXPLAIN.INVALID', `${t.partner}: ?`);
      let plain: unknown;
      try {
        plain = JSON.parse(input.sample);
      } catch {
        throw new GatewayError('EXPLAIN.INVALID', t.invalidJson);
      }
      const validation = validateSignal(plain);
      if (!validation.ok) {
        const fields = validation.errors
          .map((e) => e.path)
          .filter(Boolean)
          .slice(0, 10);
        throw new GatewayError(
          'SIGNAL.INVALID',
          `the sample is not a valid signal v1${fields.length ? `: ${fields.join(', ')}` : ''}`,
        );
      }
      const policy = await this.policyFor(input.version);
      await this.auditLog.appendAlone({
        event: 'policy.explained',
        at: new Date().toISOString(),
        correlationId: 'admin',
        actor: ctx.actor.sub,
        partnerId: partner.id,
        policyVersion: policy.version,
      });
      const explanation = explain(policy, validation.signal, {
        reporterType: partner.reporterType,
        tokens: this.dryRun,
        reporter: { organisation: partner.id },
      });
      sendPage(response, await this.page(ctx, input, explanation));
    } catch (error) {
      if (!(error instanceof GatewayError) || error.code === 'AUDIT.WRITE_FAILED') throw error;
      sendPage(response, await this.page(ctx, input, undefined, `${error.message} (${error.code})`), 400);
    }
  }

  private async policyFor(version: string): Promise<Policy> {
    if (!version || version === this.active.versionsEnforced().policy) return this.active.policy;
    const row = VERSION.test(version) ? await this.versions.find('policy', version) : null;
    if (!row) throw new GatewayError('GOVERNANCE.NOT_FOUND', 'no such policy version');
    return parsePolicyDocument(row.content, `policy ${version}`);
  }

  private async page(ctx: SignedInContext, input: ExplainForm, result?: Explanation, problem?: string) {
    const { t, actor } = ctx;
    const [partners, versions] = await Promise.all([
      this.catalogue.partners(actor),
      this.catalogue.policyVersions(),
    ]);
    const value = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    const body = html`<p>${t.explainText}</p>
      ${problem ? html`<p class="flash error" role="alert">${problem}</p>` : ''}
      <form method="post" action="/console/explain">
        ${csrfField(ctx)}
        <div class="field">
          <label for="e-partner">${t.partner}</label
          ><select id="e-partner" name="partnerId" required>
            ${partners.map((p) => html`<option value="${p.id}" ${p.id === input.partnerId ? html` selected` : ''}>${p.id} — ${p.name}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="e-version">${t.policyVersion}</label
          ><select id="e-version" name="version">
            <option value="">${t.activeVersion}</option>
            ${versions.map((v) => html`<option value="${v.version}" ${v.version === input.version ? html` selected` : ''}>${v.version.slice(0, 12)} (${v.status})</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="e-sample">${t.sample}</label
          ><textarea id="e-sample" name="sample" required spellcheck="false">${input.sample}</textarea>
        </div>
        <button type="submit">${t.explain}</button>
      </form>
      ${
        result
          ? html`<section aria-labelledby="explained">
              <h2 id="explained">${t.outcome}: <span id="outcome">${result.outcome}</span></h2>
              <dl class="facts">
                <dt>${t.policyVersion}</dt>
                <dd>${shortVersion(result.policyVersion)}</dd>
                <dt>${t.purpose}</dt>
                <dd>${result.purpose}</dd>
                <dt>${t.legalGround}</dt>
                <dd>${result.legalGround ?? '—'}</dd>
                ${
                  result.refusal
                    ? html`<dt>${t.reason}</dt>
                        <dd>${result.refusal.code}: ${result.refusal.message}</dd>`
                    : ''
                }
                ${
                  result.flags.length
                    ? html`<dt>${t.flags}</dt>
                        <dd>${result.flags.join(', ')}</dd>`
                    : ''
                }
              </dl>
              <table>
                <caption>
                  ${t.fields}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t.field}</th>
                    <th scope="col">${t.action}</th>
                    <th scope="col">${t.rule}</th>
                    <th scope="col">${t.output}</th>
                  </tr>
                </thead>
                <tbody>
                  ${result.fields.map(
                    (f) =>
                      html`<tr>
                        <th scope="row"><code>${f.field}</code></th>
                        <td>${f.action}</td>
                        <td>${f.rule}</td>
                        <td>
                          ${f.outputs.map((o) => html`<div><code>${o.output}</code> = <code>${value(o.value)}</code></div>`)}
                        </td>
                      </tr>`,
                  )}
                  ${result.derived.map(
                    (d) =>
                      html`<tr>
                        <th scope="row">${d.rule}</th>
                        <td>derived</td>
                        <td>${d.rule}</td>
                        <td><code>${d.output}</code> = <code>${value(d.value)}</code></td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </section>`
          : ''
      }`;
    return layout(ctx, t.explainTitle, body);
  }
}
