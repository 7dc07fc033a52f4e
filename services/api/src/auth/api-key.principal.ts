import type { ApiKeyScope } from '@driftline/contracts';
import { ApiError } from '@driftline/common';

/** Who a request's key belongs to. */
export interface Principal {
  keyId: string;
  name: string;
  scopes: readonly ApiKeyScope[];
}

/** The principal of DRIFTLINE_ADMIN_KEY, which has no row. */
export const BOOTSTRAP_PRINCIPAL: Principal = {
  keyId: 'bootstrap',
  name: 'DRIFTLINE_ADMIN_KEY',
  scopes: ['admin'],
};

/** admin may do everything; ingest and read only what names them. */
export function grants(scopes: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  return scopes.includes('admin') || scopes.includes(needed);
}

/** Why a request was refused, as counted in driftline_auth_refusals_total. */
export type RefusalReason = 'missing' | 'malformed' | 'unknown' | 'forbidden';

export class AuthRefusal extends ApiError {
  constructor(
    readonly reason: Exclude<RefusalReason, 'forbidden'>,
    message: string,
  ) {
    super(401, 'unauthenticated', message);
  }
}
