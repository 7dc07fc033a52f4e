import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';

/** The web dashboard served at `/` (built by `npm run build` into dist/services/api/web). */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
