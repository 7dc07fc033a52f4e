import { runService } from '@driftline/common';
import { MonitorModule } from './monitor.module';

void runService('monitor', (context) => MonitorModule.forRoot(context));
