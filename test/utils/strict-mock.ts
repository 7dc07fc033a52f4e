/**
 * A stand-in for an adapter where only the given members exist: touching any other member throws,
 * so a test fails on a call it did not expect (like immich's automock in strict mode).
 */
const PROBED = new Set<string | symbol>([
  'then',
  'asymmetricMatch',
  // Nest looks for lifecycle hooks on every provider
  'onModuleInit',
  'onApplicationBootstrap',
  'onModuleDestroy',
  'beforeApplicationShutdown',
  'onApplicationShutdown',
]);

export function strictMock<T extends object>(members: Partial<T>): T {
  return new Proxy(members as T, {
    get(target, property) {
      if (property in target) return target[property as keyof T];
      // Promise resolution, Jest's printer and Nest probe these; they are not calls.
      if (typeof property === 'symbol' || PROBED.has(property)) return undefined;
      return () => {
        throw new Error(`unexpected call to ${String(property)}`);
      };
    },
  });
}
