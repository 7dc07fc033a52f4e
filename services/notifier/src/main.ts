import { runService } from '@driftline/common';
import { NotifierModule } from './notifier.module';

void runService('notifier', (context) => NotifierModule.forRoot(context));
