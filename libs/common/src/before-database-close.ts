import type { Logger } from './logger';

/**
 * Work that needs the database after the service stopped taking work in (Nest's
 * beforeApplicationShutdown: consumers stopped, their intervals committed) and before the database
 * closes (onApplicationShutdown, whose hooks run concurrently, so no hook can order itself before
 * the close). Each task gets its own time limit; a failing one is logged and the rest still run.
 */
export class BeforeDatabaseClose {
  private readonly tasks: { name: string; run: () => Promise<unknown> }[] = [];

  add(name: string, run: () => Promise<unknown>): void {
    this.tasks.push({ name, run });
  }

  async run(logger: Logger): Promise<void> {
    for (const task of this.tasks) {
      try {
        await task.run();
      } catch (error) {
        logger.error({ task: task.name, error: (error as Error).message }, 'shutdown task failed');
      }
    }
  }
}
