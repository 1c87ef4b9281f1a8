import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium; never a downloaded browser (playwright-core downloads nothing). */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = resolve('test/artifacts');

/** Launches headless Chromium; throws (the test fails, it never skips) when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with apt-get install -y chromium (.ci/run does)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Saves a full-page screenshot under test/artifacts/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `console-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in through the console's OpenID Connect flow at the dev issuer's login form. */
export async function signIn(
  page: Page,
  adminUrl: string,
  user: string,
  role: 'privacy-officer' | 'auditor' | 'integrator',
): Promise<void> {
  await page.goto(`${adminUrl}/console`);
  await page.getByRole('link', { name: /^(Sign in|Aanmelden)$/ }).click();
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Role').selectOption(role);
  await page.getByRole('button', { name: 'Sign in' }).click();
  try {
    await page.waitForURL(
      (url) => url.pathname.startsWith('/console/') && !url.pathname.startsWith('/console/callback'),
      { timeout: 10_000 },
    );
  } catch (error) {
    throw new Error(
      `sign-in did not reach the console: at ${page.url()}: ${(await page.textContent('body'))?.slice(0, 500)}`,
      { cause: error },
    );
  }
}
