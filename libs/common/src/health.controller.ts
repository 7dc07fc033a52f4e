import { Controller, Get, Inject } from '@nestjs/common';
import { ApiError } from './api.error';
import { Public } from './route-access';

export interface ReadinessCheck {
  name: string;
  /** Resolves true when the dependency is usable; must not throw. */
  check(): Promise<boolean>;
  /** What an operator must fix, when the check knows it in words. */
  problems?(): string[];
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Controller()
@Public()
export class HealthController {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  /** Liveness: the process serves HTTP. */
  @Get('healthz')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: every dependency answers. */
  @Get('readyz')
  async ready(): Promise<{ status: 'ready'; checks: Record<string, boolean> }> {
    const results = await Promise.all(this.checks.map(async (c) => [c.name, await c.check()] as const));
    const checks = Object.fromEntries(results);
    if (results.some(([, ok]) => !ok)) {
      const problems = this.checks.flatMap((c) => c.problems?.() ?? []);
      const message = problems.length > 0 ? problems.join('; ') : 'a dependency is unavailable';
      throw new ApiError(503, 'not_ready', message, { checks, ...(problems.length > 0 ? { problems } : {}) });
    }
    return { status: 'ready', checks };
  }
}
