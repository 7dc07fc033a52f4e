import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError, Public } from '@driftline/common';
import { DASHBOARD_ASSETS, DASHBOARD_DIR, dashboardBuilt } from './dashboard.files';

function built(): void {
  if (!dashboardBuilt())
    throw new ApiError(503, 'dashboard_not_built', 'the dashboard is not built: run npm run build');
}

/**
 * The page holds an API key (in sessionStorage): only its own script and styles may run in it, and
 * no other site may frame it.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function app(response: Response): void {
  built();
  response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  response.setHeader('referrer-policy', 'same-origin');
  response.type('html').sendFile('index.html', { root: DASHBOARD_DIR });
}

/**
 * The dashboard: each page's path answers the one-page app (index.html), which logs in with an API
 * key and reads /v1; its script and style sheet are under /assets/. Public: these routes carry no
 * data (the key lives in the browser tab and goes only to /v1, in the Authorization header).
 */
@Controller()
@Public()
export class DashboardController {
  @Get()
  @Header('cache-control', 'no-cache')
  overview(@Res() response: Response): void {
    app(response);
  }

  @Get('login')
  @Header('cache-control', 'no-cache')
  login(@Res() response: Response): void {
    app(response);
  }

  @Get('models/:id')
  @Header('cache-control', 'no-cache')
  model(@Res() response: Response): void {
    app(response);
  }

  @Get('models/:id/window')
  @Header('cache-control', 'no-cache')
  window(@Res() response: Response): void {
    app(response);
  }

  /** The link alerts carry (`PUBLIC_URL/alerts/:id`, in Slack, email and webhooks). */
  @Get('alerts/:id')
  @Header('cache-control', 'no-cache')
  alert(@Res() response: Response): void {
    app(response);
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() response: Response): void {
    const type = DASHBOARD_ASSETS.get(file);
    if (type === undefined)
      throw new ApiError(404, 'asset_not_found', `the dashboard has no file "${file}"`, { file });
    built();
    response.type(type).sendFile(file, { root: DASHBOARD_DIR });
  }
}
