import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  aSignal,
  CapturedOutput,
  createTestDatabase,
  testDatabaseKinds,
  type TestDatabase,
} from '@ketenpoort/testing';
import { PinoLogger } from '@ketenpoort/logging';
import { startStack, type RunningStack } from '../../apps/cli/src/stack/stack.js';
import { sql, StackClient } from '../support/stack-client.js';
import { launchChromium, screenshot, signIn } from './console-browser.js';

describe.each(testDatabaseKinds())('privacy officer console in Chromium (%s)', (kind) => {
  let dataDir: string;
  let configDir: string;
  let stack: RunningStack;
  let client: StackClient;
  let gatewayDb: TestDatabase;
  let registerDb: TestDatabase;
  let browser: Browser;
  let officer: BrowserContext;
  let page: Page;
  let proposedVersion: string;
  const gatewayLog = new CapturedOutput();
  const shot = (p: Page, name: string) => screenshot(p, `${kind}-${name}`);
  const newContext = () => browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-GB' });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-console-'));
    configDir = mkdtempSync(join(tmpdir(), 'kp-console-config-'));
    cpSync(resolve('config'), configDir, { recursive: true });
    [gatewayDb, registerDb] = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir,
      gatewayDatabaseUrl: gatewayDb.url,
      registerDatabaseUrl: registerDb.url,
      gatewayLogger: new PinoLogger({ app: 'gateway', destination: gatewayLog }),
      registerLogger: new PinoLogger({ app: 'register', destination: new CapturedOutput() }),
      outbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
    });
    client = new StackClient(stack, dataDir);
    for (const partner of ['politie-oost-brabant', 'kmar', 'politie-oost-brabant']) {
      expect((await client.send(partner, aSignal().build())).status).toBe(202);
    }
    browser = await launchChromium();
    officer = await newContext();
    page = await officer.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await Promise.all([gatewayDb?.drop(), registerDb?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(configDir, { recursive: true, force: true });
  }, 60_000);

  it('signs in through the OpenID Connect code flow with PKCE, into an httpOnly SameSite=Strict session', async () => {
    await signIn(page, stack.gateway.adminUrl, 'olga', 'privacy-officer');

    expect(new URL(page.url()).pathname).toBe('/console/timeline');
    expect((await page.locator('header .user').innerText()).replace(/\s+/g, ' ')).toContain(
      'Aangemeld als olga · rollen: privacy-officer',
    );
    const session = (await officer.cookies()).find((c) => c.name === '__Host-kp_console_session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    const stored = await page.evaluate('({ local: localStorage.length, session: sessionStorage.length })');
    expect(stored).toEqual({ local: 0, session: 0 });
    await shot(page, 'signed-in');
  });

  it('switches to English labels', async () => {
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Timeline of audit entries',
    );
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('filters the timeline by partner and decision', async () => {
    await page.goto(`${stack.gateway.adminUrl}/console/timeline`);
    await page.getByLabel('Partner').selectOption('kmar');
    await page.getByLabel('Decision').selectOption('signal.received');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/partner=kmar/);

    const rows = page.locator('main table tbody tr');
    expect(await rows.count()).toBe(1);
    const cells = await rows.first().locator('td').allTextContents();
    expect(cells[2]).toBe('signal.received');
    expect(cells[3]).toBe('kmar');
    await shot(page, 'timeline-filtered');
  });

  it('opens an entry with its fields and leaf hash', async () => {
    await page.locator('main table tbody tr').first().locator('a').click();
    await page.waitForURL(/\/console\/entries\/\d+$/);
    const facts = await page.locator('dl.facts').textContent();
    expect(facts).toContain('signal.received');
    expect(facts).toContain('kmar');
    expect(await page.getByRole('table', { name: 'Fields' }).count()).toBe(1);
    // No submitted value reaches the page: the entry names fields, never values.
    expect(await page.content()).not.toContain('Kowalska');
    await shot(page, 'entry');
  });

  it('refuses the approval to the author of a policy version (four eyes)', async () => {
    const active = (
      await client.admin('GET', '/v1/admin/policies', await client.token('auditor', 'audrey'))
    ).json<{ version: string; status: string }[]>();
    const current = active.find((r) => r.status === 'active')!;
    const detail = (
      await client.admin(
        'GET',
        `/v1/admin/policies/${current.version}`,
        await client.token('auditor', 'audrey'),
      )
    ).json<{ content: string }>();
    const content = detail.content.replace(
      '      subject.nationalities: forward\n',
      '      subject.nationalities: forward\n      subject.languages: forward\n',
    );
    expect(content).not.toBe(detail.content);
    const proposed = await client.admin(
      'POST',
      '/v1/admin/policies',
      await client.token('integrator', 'ines'),
      {
        content,
      },
    );
    expect(proposed.status).toBe(201);
    proposedVersion = proposed.json<{ version: string }>().version;

    const author = await newContext();
    const authorPage = await author.newPage();
    await signIn(authorPage, stack.gateway.adminUrl, 'ines', 'privacy-officer');
    await authorPage.goto(
      `${stack.gateway.adminUrl}/console/language/en?next=/console/policies/${proposedVersion}`,
    );
    expect(await authorPage.locator('pre[aria-label]').textContent()).toContain('+ subject.languages');
    await authorPage.getByRole('button', { name: 'Approve and activate' }).click();

    await expect(authorPage.getByRole('alert').textContent()).resolves.toContain('four eyes');
    expect(await authorPage.locator('#policy-status').textContent()).toBe('draft');
    await shot(authorPage, 'approval-refused-to-author');
    await author.close();
  });

  it('approves a policy version as another privacy officer', async () => {
    await page.goto(`${stack.gateway.adminUrl}/console/policies`);
    await page.getByRole('link', { name: `Open ${proposedVersion.slice(0, 12)}` }).click();
    await page.getByLabel('Note (optional)').fill('reviewed with the DPO');
    await page.getByRole('button', { name: 'Approve and activate' }).click();

    await expect(page.getByRole('status').first().textContent()).resolves.toContain('now active');
    expect(await page.locator('#policy-status').textContent()).toBe('active');
    const [row] = await sql<{ status: string; approved_by: string }>(
      gatewayDb.url,
      `SELECT status, approved_by FROM governed_version WHERE kind = 'policy' AND version = $1`,
      [proposedVersion],
    );
    expect(row).toEqual({ status: 'active', approved_by: 'olga' });
    await shot(page, 'policy-approved');
  });

  it('runs a subject lookup with its request reference', async () => {
    await page.goto(`${stack.gateway.adminUrl}/console/subject-lookup`);
    await page.getByLabel('Request reference (e.g. SAR-2026-0042)').fill('SAR-2026-0042');
    await page.getByLabel('Document type').selectOption('passport');
    await page.getByLabel('Document country (ISO, 3 letters)').fill('PL');
    await page.getByLabel('Document number').fill('EA1234567');
    await page.getByRole('button', { name: 'Look up' }).click();

    expect(Number(await page.locator('#matches').textContent())).toBeGreaterThanOrEqual(3);
    // The identifiers typed are not repeated on the answer page.
    expect(await page.content()).not.toContain('EA1234567');
    const [lookup] = await sql<{ entry: string }>(
      gatewayDb.url,
      `SELECT entry FROM audit_entry WHERE event = 'audit.subject-lookup' ORDER BY idx DESC LIMIT 1`,
    );
    expect(JSON.parse(lookup.entry)).toMatchObject({ actor: 'olga', requestReference: 'SAR-2026-0042' });
    expect(lookup.entry).not.toContain('EA1234567');
    await shot(page, 'subject-lookup');
  });

  it('verifies the log now: recomputes the cosigned root from the stored leaves', async () => {
    await page.goto(`${stack.gateway.adminUrl}/console/verification`);
    await page.getByRole('button', { name: 'Verify now' }).click();
    await page.waitForURL(/\/console\/verification\/jobs\//);
    await page.getByText('Verified: the stored entries give the cosigned root.', { exact: false }).waitFor();
    await shot(page, 'verified');
  });

  it('shows per partner and purpose what each field became', async () => {
    await page.goto(`${stack.gateway.adminUrl}/console/overview`);
    const table = page.getByRole('table', { name: /^Purpose: registration — 2 signals received$/ });
    expect(await table.count()).toBe(1);
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    await shot(page, 'overview');
  });

  it('explains a sample signal as a dry run', async () => {
    await page.goto(`${stack.gateway.adminUrl}/console/explain`);
    await page.getByLabel('Partner').selectOption('kmar');
    await page.getByLabel('Sample signal (JSON)').fill(JSON.stringify(aSignal().build()));
    await page.getByRole('button', { name: 'Explain' }).click();
    expect(await page.locator('#outcome').textContent()).toBe('released');
    await shot(page, 'explain');
  });

  it('refuses a POST without the CSRF token', async () => {
    const answer = await page.request.post(
      `${stack.gateway.adminUrl}/console/policies/${proposedVersion}/decision`,
      {
        form: { decision: 'reject' },
      },
    );
    expect(answer.status()).toBe(403);
  });
});
