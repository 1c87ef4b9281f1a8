import { Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { GatewayError } from '../../common/gateway-error.js';
import { OnListener } from '../../common/listener.js';
import { AuditCheckpointStore } from '../../audit/infrastructure/audit-checkpoint.store.js';
import { ConsoleAuth } from '../auth/console-auth.js';
import { ConsoleExceptionFilter } from '../console-exception.filter.js';
import { ApiConsoleAnswer, ApiConsolePages } from '../console-openapi.decorators.js';
import { html, type SafeHtml } from '../console-html.js';
import { consoleHeaders, sendPage } from '../console-http.js';
import type { Labels } from '../console-i18n.js';
import { csrfField, layout } from '../console-layout.js';
import { LogVerificationJobs, type LogVerification } from './log-verification.job.js';

const ROLES = ['privacy-officer', 'auditor'] as const;

function progressText(t: Labels, job: LogVerification): string {
  if (job.status === 'verified') return `${t.verified} (${job.done}/${job.total})`;
  if (job.status === 'failed') return `${t.verifyFailed}: ${job.problem?.code} — ${job.problem?.message}`;
  return `${t.verifying} ${job.done}/${job.total || '?'}`;
}

function jobView(t: Labels, job: LogVerification): SafeHtml {
  return html`<section
    id="job"
    data-poll="/console/verification/jobs/${job.id}.json"
    data-status="${job.status}"
    aria-labelledby="job-h"
  >
    <h2 id="job-h">${t.progress}</h2>
    <progress
      id="job-progress"
      max="${Math.max(job.total, 1)}"
      value="${job.status === 'running' ? job.done : Math.max(job.total, 1)}"
      aria-describedby="job-text"
    ></progress>
    <p
      id="job-text"
      role="status"
      aria-live="polite"
      class="${job.status === 'failed' ? 'flash error' : job.status === 'verified' ? 'flash ok' : ''}"
    >
      ${progressText(t, job)}
    </p>
    ${
      job.recomputedRoot
        ? html`<dl class="facts">
            <dt>${t.rootHash}</dt>
            <dd><code>${job.recomputedRoot}</code></dd>
          </dl>`
        : ''
    }
  </section>`;
}

/** Verification status of the log and "verify now" with progress. */
@Controller('console/verification')
@OnListener('admin')
@UseFilters(ConsoleExceptionFilter)
@ApiConsolePages()
export class ConsoleVerificationHttpController {
  constructor(
    private readonly auth: ConsoleAuth,
    private readonly checkpoints: AuditCheckpointStore,
    private readonly jobs: LogVerificationJobs,
  ) {}

  @Get()
  async status(@Req() request: Request, @Res() response: Response) {
    const ctx = this.auth.require(request, [...ROLES]);
    const { t } = ctx;
    const latest = await this.checkpoints.latestCosigned();
    const job = this.jobs.latest();
    const body = html`<h2>${t.latestCheckpoint}</h2>
      ${
        latest
          ? html`<dl class="facts">
              <dt>${t.size}</dt>
              <dd>${latest.size}</dd>
              <dt>${t.time}</dt>
              <dd>${latest.time.toISOString()}</dd>
              <dt>${t.rootHash}</dt>
              <dd><code>${latest.rootHash}</code></dd>
              <dt>${t.cosignatures}</dt>
              <dd>${latest.cosignatures.length}</dd>
            </dl>`
          : html`<p>${t.noCheckpoint}</p>`
      }
      <p>${t.verifyText}</p>
      <form method="post" action="/console/verification/jobs">
        ${csrfField(ctx)}<button type="submit">${t.verifyNow}</button>
      </form>
      ${job ? jobView(t, job) : ''}`;
    sendPage(response, layout(ctx, t.verificationTitle, body, { scripts: ['verification.js'] }));
  }

  @Post('jobs')
  @ApiConsoleAnswer('redirect')
  async start(@Req() request: Request, @Res() response: Response) {
    const { ctx } = await this.auth.form(request, [...ROLES]);
    const job = this.jobs.start(ctx.actor.sub);
    response.redirect(303, `/console/verification/jobs/${job.id}`);
  }

  @Get('jobs/:id')
  job(@Param('id') id: string, @Req() request: Request, @Res() response: Response) {
    const ctx = this.auth.require(request, [...ROLES]);
    const { t } = ctx;
    const json = id.endsWith('.json');
    const job = this.jobs.get(json ? id.slice(0, -5) : id);
    if (!job) throw new GatewayError('CONSOLE.NOT_FOUND', t.notFound);
    if (json) {
      consoleHeaders(response);
      response.json({ status: job.status, done: job.done, total: job.total, text: progressText(t, job) });
      return;
    }
    sendPage(
      response,
      layout(
        ctx,
        t.verificationTitle,
        html`${jobView(t, job)}
          <p><a href="/console/verification">${t.back}</a></p>`,
        {
          scripts: ['verification.js'],
        },
      ),
    );
  }
}
