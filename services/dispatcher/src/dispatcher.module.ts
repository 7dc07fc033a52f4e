import { Module, type DynamicModule } from '@nestjs/common';
import { healthOnlyModule } from '../../common/src/health-only.module';
import type { ServiceContext } from '../../common/src/service.bootstrap';

@Module({})
export class DispatcherModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return healthOnlyModule(DispatcherModule, 'dispatcher', context);
  }
}
