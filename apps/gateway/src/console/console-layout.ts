import type { AdminRole } from '../admin/admin-actor.js';
import type { ConsoleSession } from './auth/console-session.store.js';
import { html, type SafeHtml } from './console-html.js';
import { LANGUAGES, type Labels, type LabelKey, type Language } from './console-i18n.js';

/** What every page needs: language, labels, the session (when signed in) and the current path. */
export interface PageContext {
  language: Language;
  t: Labels;
  session?: ConsoleSession;
  /** Path and query of this page (the language switch comes back here). */
  path: string;
}

interface NavItem {
  href: string;
  label: LabelKey;
  roles: AdminRole[];
}

/** The pages and who sees them. */
export const NAV: NavItem[] = [
  { href: '/console/timeline', label: 'navTimeline', roles: ['privacy-officer', 'auditor'] },
  { href: '/console/overview', label: 'navOverview', roles: ['privacy-officer', 'auditor'] },
  { href: '/console/verification', label: 'navVerification', roles: ['privacy-officer', 'auditor'] },
  { href: '/console/subject-lookup', label: 'navLookup', roles: ['privacy-officer'] },
  { href: '/console/policies', label: 'navPolicies', roles: ['privacy-officer', 'auditor', 'integrator'] },
  { href: '/console/explain', label: 'navExplain', roles: ['privacy-officer', 'integrator'] },
];

export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.session?.csrfToken ?? ''}" />`;
}

/** The page frame: skip link, header with navigation and language switch, main, and the one flash message. */
export function layout(
  ctx: PageContext,
  title: string,
  body: SafeHtml,
  options: { scripts?: string[] } = {},
): SafeHtml {
  const { t, session } = ctx;
  const flash = session?.flash;
  if (session) session.flash = undefined;
  const nav = session
    ? NAV.filter((item) => item.roles.some((r) => session.actor.roles.includes(r))).map((item) => {
        const current =
          ctx.path === item.href ||
          ctx.path.startsWith(`${item.href}/`) ||
          ctx.path.startsWith(`${item.href}?`);
        return html`<li>
          <a href="${item.href}" ${current ? html` aria-current="page"` : ''}>${t[item.label]}</a>
        </li>`;
      })
    : [];
  const languageLinks = LANGUAGES.map((language) =>
    language === ctx.language
      ? html`<li><span aria-current="true" lang="${language}">${language.toUpperCase()}</span></li>`
      : html`<li>
          <a
            lang="${language}"
            hreflang="${language}"
            href="/console/language/${language}?next=${encodeURIComponent(ctx.path)}"
            >${language === 'nl' ? 'Nederlands' : 'English'}</a
          >
        </li>`,
  );
  const user = session
    ? html`<div class="user">
        <span
          >${t.signedInAs} <strong>${session.actor.sub}</strong> · ${t.roles}:
          ${session.actor.roles.join(', ')}${
            session.actor.partnerScope ? html` · ${t.scope}: ${session.actor.partnerScope.join(', ')}` : ''
          }</span
        >
        <form method="post" action="/console/logout">
          ${csrfField(ctx)}<button type="submit" class="link">${t.signOut}</button>
        </form>
      </div>`
    : '';
  return html`<!doctype html>
    <html lang="${ctx.language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — ${t.appName}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        ${(options.scripts ?? []).map((s) => html`<script src="/console/assets/${s}" defer></script>`)}
      </head>
      <body>
        <a class="skip" href="#main">${t.skip}</a>
        <header>
          <div class="bar">
            <span class="brand">${t.appName}</span>${user}
            <nav aria-label="${t.languageNav}">
              <ul class="languages">
                ${languageLinks}
              </ul>
            </nav>
          </div>
          ${
            session
              ? html`<nav aria-label="${t.mainNav}">
                  <ul class="nav">
                    ${nav}
                  </ul>
                </nav>`
              : ''
          }
        </header>
        <main id="main" tabindex="-1">
          <h1>${title}</h1>
          ${flash ? html`<p class="flash ${flash.kind}" role="${flash.kind === 'error' ? 'alert' : 'status'}">${flash.text}</p>` : ''}
          ${body}
        </main>
      </body>
    </html>`;
}

export function errorPage(ctx: PageContext, message: string, code?: string): SafeHtml {
  return layout(
    ctx,
    ctx.t.errorTitle,
    html`<p class="flash error" role="alert">${message}${code ? html` <code>${code}</code>` : ''}</p>
      <p><a href="/console">${ctx.t.back}</a></p>`,
  );
}

/** Short form of a 64-hex version for tables; the full value stays in the title attribute. */
export function shortVersion(version: string | null | undefined): SafeHtml {
  if (!version) return html`—`;
  return html`<code title="${version}">${version.slice(0, 12)}</code>`;
}
