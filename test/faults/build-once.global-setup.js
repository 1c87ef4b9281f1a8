/* global process, console */
import { execSync } from 'node:child_process';

/**
 * The fault tests spawn `node dist/apps/cli/src/main.js serve …`: build once, so the processes run the
 * current source. KP_FAULT_SKIP_BUILD=1 skips it when the caller has just built.
 */
export default function buildOnce() {
  if (process.env.KP_FAULT_SKIP_BUILD === '1') return;
  const started = Date.now();
  execSync('npm run build --silent', { stdio: 'inherit' });
  console.log(`\nfault suite: build done in ${Math.round((Date.now() - started) / 1000)} s`);
}
