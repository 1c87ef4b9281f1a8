/** Roles of the admin API (bearer tokens, claim `roles`). */
export const ADMIN_ROLES = ['integrator', 'privacy-officer', 'auditor'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** Who is calling the admin API, from a verified bearer token. */
export interface AdminActor {
  sub: string;
  roles: AdminRole[];
  /** Partner ids the token is limited to; null = not limited. */
  partnerScope: string[] | null;
}
