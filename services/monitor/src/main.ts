import { runService } from '../../common/src/service.bootstrap';
import { MonitorModule } from './monitor.module';

void runService('monitor', (context) => MonitorModule.forRoot(context));
