import type { ExecutionContext, Type } from '@nestjs/common';
import type { HttpArgumentsHost } from '@nestjs/common/interfaces';
import { Reflector } from '@nestjs/core';
import { loadConfig } from '@driftline/config';
import { createLogger, RequireScope } from '@driftline/common';
import { strictMock } from '../../../../test/utils/strict-mock';
import { ApiKeyGuard } from './api-key.guard';
import type { ApiKeyAuthenticator } from './api-key.authenticator';
import type { AuthMetrics } from './auth.metrics';

class Undeclared {
  handle(): void {}
}

@RequireScope('read')
class Declared {
  handle(): void {}
}

function contextOf(controller: Type & { prototype: { handle(): void } }): ExecutionContext {
  const http = strictMock<HttpArgumentsHost>({
    getRequest: <T>() => ({ headers: { authorization: 'Bearer dlk_x' } }) as T,
    getResponse: <T>() => ({ setHeader: () => undefined }) as T,
  });
  return strictMock<ExecutionContext>({
    getHandler: () => controller.prototype.handle,
    getClass: <T>() => controller as Type<T>,
    switchToHttp: () => http,
  });
}

describe('ApiKeyGuard', () => {
  const guard = (auth: 'on' | 'off') =>
    new ApiKeyGuard(
      new Reflector(),
      strictMock<ApiKeyAuthenticator>({
        authenticate: async () => ({ keyId: 'k', name: 'reader', scopes: ['read'] }),
      }),
      strictMock<AuthMetrics>({}),
      loadConfig({ DRIFTLINE_AUTH: auth }),
      createLogger('api', 'silent'),
    );

  it.each(['on', 'off'] as const)('refuses a route that declares no scope (auth %s)', async (auth) => {
    await expect(guard(auth).canActivate(contextOf(Undeclared))).rejects.toMatchObject({
      status: 403,
      code: 'forbidden',
    });
  });

  it('lets a key with the scope through', async () => {
    await expect(guard('on').canActivate(contextOf(Declared))).resolves.toBe(true);
  });
});
