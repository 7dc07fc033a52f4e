import { runService } from '../../common/src/service.bootstrap';
import { NotifierModule } from './notifier.module';

void runService('notifier', (context) => NotifierModule.forRoot(context));
