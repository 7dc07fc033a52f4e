import { runService } from '../../common/src/service.bootstrap';
import { DispatcherModule } from './dispatcher.module';

void runService('dispatcher', (context) => DispatcherModule.forRoot(context));
