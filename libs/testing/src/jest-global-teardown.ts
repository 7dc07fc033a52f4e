import { releaseTestInfra, TEST_INFRA_KEY, type TestInfra } from './jest-global-setup';

export default async function globalTeardown(): Promise<void> {
  const infra = (globalThis as Record<string, unknown>)[TEST_INFRA_KEY] as TestInfra | undefined;
  if (infra) await releaseTestInfra(infra);
}
