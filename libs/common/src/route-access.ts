import { SetMetadata } from '@nestjs/common';
import type { ApiKeyScope } from '@driftline/contracts';

/** Who may call a route: holders of a key with that scope (admin may do all), or anyone. */
export type RouteAccess = ApiKeyScope | 'public';

export const ROUTE_ACCESS = 'driftline:route-access';

/**
 * The scope a route needs, on a controller class (for all its handlers) or a handler (overriding
 * the class). The api refuses every route that declares neither a scope nor @Public().
 */
export const RequireScope = (scope: ApiKeyScope) => SetMetadata(ROUTE_ACCESS, scope);

/** A route anyone may call without a key: health, metrics, documentation, the dashboard shell. */
export const Public = () => SetMetadata(ROUTE_ACCESS, 'public' satisfies RouteAccess);
