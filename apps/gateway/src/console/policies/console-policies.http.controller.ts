import { Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { diffPolicies, formatPolicyDiff } from '@ketenpoort/policy';
import { GatewayError } from '../../common/gateway-error.js';
import { OnListener } from '../../common/listener.js';
import { DecideVersionCommand } from '../../governance/commands/decide-version/decide-version.command.js';
import { parsePolicyDocument } from '../../governance/governed-document.js';
import { GovernedVersionRepository } from '../../governance/infrastructure/governed-version.repository.js';
import { ConsoleAuth } from '../auth/console-auth.js';
import { ConsoleExceptionFilter } from '../console-exception.filter.js';
import { ApiConsoleAnswer, ApiConsolePages } from '../console-openapi.decorators.js';
import { html } from '../console-html.js';
import { sendPage } from '../console-http.js';
import { csrfField, layout, shortVersion } from '../console-layout.js';

const VERSION = /^[0-9a-f]{64}$/;
const READERS = ['privacy-officer', 'auditor', 'integrator'] as const;
const DECISIONS = ['approve', 'reject'] as const;

/** Policy versions, a readable diff against the active one, and approve/reject for privacy officers. */
@Controller('console/policies')
@OnListener('admin')
@UseFilters(ConsoleExceptionFilter)
@ApiConsolePages()
export class ConsolePoliciesHttpController {
  constructor(
    private readonly auth: ConsoleAuth,
    private readonly versions: GovernedVersionRepository,
    private readonly commandBus: CommandBus,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response) {
    const ctx = this.auth.require(request, [...READERS]);
    const { t } = ctx;
    const rows = await this.versions.list('policy');
    const body = html`<table>
      <caption>
        ${t.policiesTitle}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.version}</th>
          <th scope="col">${t.status}</th>
          <th scope="col">${t.proposedBy}</th>
          <th scope="col">${t.proposedAt}</th>
          <th scope="col">${t.approvedBy}</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <td>
                <a href="/console/policies/${r.version}" aria-label="${t.open} ${r.version.slice(0, 12)}"
                  >${shortVersion(r.version)}</a
                >
              </td>
              <td><span class="status ${r.status}">${r.status}</span></td>
              <td>${r.proposedBy}</td>
              <td>${r.proposedAt.toISOString()}</td>
              <td>${r.approvedBy ?? '—'}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
    sendPage(response, layout(ctx, t.policiesTitle, body));
  }

  @Get(':version')
  async detail(@Param('version') version: string, @Req() request: Request, @Res() response: Response) {
    const ctx = this.auth.require(request, [...READERS]);
    const { t, actor } = ctx;
    const row = VERSION.test(version) ? await this.versions.find('policy', version) : null;
    if (!row) throw new GatewayError('CONSOLE.NOT_FOUND', t.notFound);
    const active = await this.versions.findByStatus('policy', 'active');
    let diff: string | null = null;
    if (active) {
      diff = formatPolicyDiff(
        diffPolicies(
          parsePolicyDocument(active.content, `policy ${active.version}`),
          parsePolicyDocument(row.content, `policy ${row.version}`),
        ),
      );
    }
    const diffLines = (diff ?? '').split('\n').map((line) => {
      const kind = /^\s*\+ /.test(line) ? 'diff-add' : /^\s*- /.test(line) ? 'diff-remove' : '';
      return html`<span class="${kind}">${line}</span> `;
    });
    const officer = actor.roles.includes('privacy-officer');
    const decidable = row.status !== 'active' && row.status !== 'rejected';
    const body = html`<dl class="facts">
        <dt>${t.version}</dt>
        <dd><code>${row.version}</code></dd>
        <dt>${t.status}</dt>
        <dd><span class="status ${row.status}" id="policy-status">${row.status}</span></dd>
        <dt>${t.proposedBy}</dt>
        <dd>${row.proposedBy}</dd>
        <dt>${t.proposedAt}</dt>
        <dd>${row.proposedAt.toISOString()}</dd>
        <dt>${t.approvedBy}</dt>
        <dd>${row.approvedBy ?? '—'}</dd>
      </dl>
      <h2>${t.diffAgainstActive}</h2>
      ${diff === null ? html`<p>${t.noActive}</p>` : html`<pre aria-label="${t.diffAgainstActive}">${diffLines}</pre>`}
      ${
        decidable && officer
          ? html`<form method="post" action="/console/policies/${row.version}/decision">
              ${csrfField(ctx)}
              <div class="field">
                <label for="note">${t.note}</label
                ><input id="note" name="note" maxlength="500" autocomplete="off" />
              </div>
              <div class="actions">
                <button type="submit" name="decision" value="approve">${t.approve}</button>
                <button type="submit" name="decision" value="reject" class="danger">${t.reject}</button>
              </div>
            </form>`
          : decidable
            ? html`<p class="muted">${t.onlyOfficers}</p>`
            : ''
      }
      <details>
        <summary>${t.content}</summary>
        <pre>${row.content}</pre>
      </details>
      <p><a href="/console/policies">${t.back}</a></p>`;
    sendPage(response, layout(ctx, `${t.policyTitle} ${row.version.slice(0, 12)}`, body));
  }

  /** Approve or reject through the governance command: four eyes and scope are checked there. */
  @Post(':version/decision')
  @ApiConsoleAnswer('redirect')
  async decide(
    @Param('version') version: string,
    @Req() request: Request & { correlationId: string },
    @Res() response: Response,
  ) {
    const { ctx, form } = await this.auth.form(request, ['privacy-officer']);
    const { t } = ctx;
    const decision = form.get('decision') ?? '';
    if (!VERSION.test(version) || !(DECISIONS as readonly string[]).includes(decision)) {
      throw new GatewayError('CONSOLE.NOT_FOUND', t.notFound);
    }
    const note = form.get('note')?.trim().slice(0, 500) || undefined;
    try {
      await this.commandBus.execute(
        new DecideVersionCommand(
          request.correlationId,
          ctx.actor,
          'policy',
          version,
          decision as (typeof DECISIONS)[number],
          note,
        ),
      );
      ctx.session.flash = { kind: 'ok', text: decision === 'approve' ? t.approved : t.rejected };
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      const text = error.code === 'GOVERNANCE.FOUR_EYES' ? t.fourEyes : `${error.message} (${error.code})`;
      ctx.session.flash = { kind: 'error', text };
    }
    response.redirect(303, `/console/policies/${version}`);
  }
}
