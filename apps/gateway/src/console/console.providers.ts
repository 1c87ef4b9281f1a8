import { ConsoleAuth } from './auth/console-auth.js';
import { ConsoleOidcClient } from './auth/console-oidc.client.js';
import { ConsoleSessionStore } from './auth/console-session.store.js';
import { ConsoleSignInHttpController } from './auth/console-sign-in.http.controller.js';
import { ConsoleAssetsHttpController } from './console-assets.http.controller.js';
import { ConsoleCatalogue } from './console-catalogue.js';
import { ConsoleExplainHttpController } from './explain/console-explain.http.controller.js';
import { ConsoleOverviewHttpController } from './overview/console-overview.http.controller.js';
import { ConsolePoliciesHttpController } from './policies/console-policies.http.controller.js';
import { ConsoleSubjectLookupHttpController } from './subject-lookup/console-subject-lookup.http.controller.js';
import { ConsoleTimelineHttpController } from './timeline/console-timeline.http.controller.js';
import { LogVerificationJobs } from './verification/log-verification.job.js';
import { ConsoleVerificationHttpController } from './verification/console-verification.http.controller.js';

/** The console's controllers (all on the admin listener, under /console). */
export const CONSOLE_CONTROLLERS = [
  ConsoleSignInHttpController,
  ConsoleAssetsHttpController,
  ConsoleTimelineHttpController,
  ConsoleOverviewHttpController,
  ConsoleVerificationHttpController,
  ConsoleSubjectLookupHttpController,
  ConsolePoliciesHttpController,
  ConsoleExplainHttpController,
];

export const CONSOLE_PROVIDERS = [
  ConsoleSessionStore,
  ConsoleOidcClient,
  ConsoleAuth,
  ConsoleCatalogue,
  LogVerificationJobs,
];
