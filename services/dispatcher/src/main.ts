import { runService } from '@driftline/common';
import { DispatcherModule } from './dispatcher.module';

void runService('dispatcher', (context) => DispatcherModule.forRoot(context));
