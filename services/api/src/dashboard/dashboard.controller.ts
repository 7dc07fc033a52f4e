import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError } from '@driftline/common';
import { DASHBOARD_ASSETS, DASHBOARD_DIR, dashboardBuilt } from './dashboard.files';

function built(): void {
  if (!dashboardBuilt())
    throw new ApiError(503, 'dashboard_not_built', 'the dashboard is not built: run npm run build');
}

/**
 * The dashboard: every page's path answers the one-page app (index.html), which logs in with an API
 * key and reads /v1; its script and style sheet are under /assets/. These routes carry no data, so
 * they need no key (the key lives in the browser session and goes only to /v1).
 */
@Controller()
export class DashboardController {
  @Get(['/', 'login', 'models/:modelId', 'models/:modelId/window', 'alerts/:alertId'])
  @Header('cache-control', 'no-cache')
  page(@Res() response: Response): void {
    built();
    response.type('html').sendFile('index.html', { root: DASHBOARD_DIR });
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
