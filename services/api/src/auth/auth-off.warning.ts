import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DRIFTLINE_CONFIG, type DriftlineConfig } from '@driftline/config';
import { LOGGER, type Logger } from '@driftline/common';

const REPEAT_MS = 5 * 60_000;

/** With DRIFTLINE_AUTH=off the api says it is open: at start and every five minutes after. */
@Injectable()
export class AuthOffWarning implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(DRIFTLINE_CONFIG) private readonly config: DriftlineConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    if (this.config.auth.enabled) return;
    const warn = () =>
      this.logger.warn(
        'DRIFTLINE_AUTH=off: API keys are not checked, anyone who reaches the api can read and change everything; for local demos only',
      );
    warn();
    this.timer = setInterval(warn, REPEAT_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
