import type { PartnerConfig } from '@ketenpoort/pki';

/** The partner behind a request, as established from its verified client certificate. */
export interface AuthenticatedPartner {
  partner: PartnerConfig;
  certificateFingerprint: string;
}
