import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { ENVIRONMENT_VARIABLES, loadConfig, SECRET_VARIABLES, type ServiceName } from '@driftline/config';
import { repoFile } from '../repo-files';

interface Container {
  name: string;
  image: string;
  env?: { name: string; value: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports: { name: string; containerPort: number }[];
  livenessProbe: { httpGet: { path: string; port: number } };
  readinessProbe: { httpGet: { path: string; port: number } };
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    template?: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } };
    ports?: { port: number; targetPort: string | number }[];
  };
}

const SERVICES: ServiceName[] = ['api', 'monitor', 'notifier', 'dispatcher'];
const read = (path: string) => readFileSync(repoFile(`infra/k8s/${path}`), 'utf8');
const kustomization = parseAllDocuments(read('kustomization.yaml'))[0].toJS() as { resources: string[] };
const manifests: Manifest[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(read(file)).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as Manifest;
  }),
);
const one = (kind: string, name: string): Manifest => {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
};
const configMap = one('ConfigMap', 'driftline-config').data ?? {};
const secret = one('Secret', 'driftline-secrets').stringData ?? {};
const variables = new Set<string>(ENVIRONMENT_VARIABLES.map((v) => v.name));
/** Kept out of the ConfigMap: the credentials, and DATABASE_URL (its password). */
const secretKeys = new Set<string>([...SECRET_VARIABLES, 'DATABASE_URL']);
/** What a cluster must set: the credentials, and every setting whose default is this machine. */
const required = [
  ...secretKeys,
  ...ENVIRONMENT_VARIABLES.filter((v) => /127\.0\.0\.1|localhost/.test(v.default)).map((v) => v.name),
];
const config = loadConfig({ ...configMap, ...secret });
const container = (service: ServiceName) => {
  const deployment = one('Deployment', `driftline-${service}`);
  const containers = deployment.spec?.template?.spec.containers ?? [];
  expect(containers).toHaveLength(1);
  return { deployment, container: containers[0] };
};

describe('infra/k8s against the README configuration table', () => {
  it('ConfigMap and Secret keys are configuration variables, credentials only in the Secret', () => {
    for (const key of [...Object.keys(configMap), ...Object.keys(secret)]) {
      expect([key, variables.has(key)]).toEqual([key, true]);
    }
    for (const key of Object.keys(configMap)) expect([key, secretKeys.has(key)]).toEqual([key, false]);
    for (const key of Object.keys(secret)) expect([key, secretKeys.has(key)]).toEqual([key, true]);
  });

  it('sets every variable a cluster must set, and every value parses', () => {
    const set = new Set([...Object.keys(configMap), ...Object.keys(secret)]);
    for (const name of required) expect([name, set.has(name)]).toEqual([name, true]);
    expect(config.kafka.brokers.join(',')).not.toMatch(/127\.0\.0\.1|localhost/);
  });

  it.each(SERVICES)(
    'the %s Deployment reads the ConfigMap and the Secret and probes its own port',
    (service) => {
      const { container: c } = container(service);
      expect(c.image).toBe('driftline');
      expect(c.env).toContainEqual({ name: 'DRIFTLINE_SERVICE', value: service });
      expect(c.envFrom).toEqual(
        expect.arrayContaining([
          { configMapRef: { name: 'driftline-config' } },
          { secretRef: { name: 'driftline-secrets' } },
        ]),
      );
      const port = config.ports[service];
      expect(c.ports).toEqual([{ name: 'http', containerPort: port }]);
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port });
      expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(c.resources.limits?.memory).toEqual(expect.any(String));
    },
  );

  it.each(SERVICES)('a Service selects the %s pods and exposes its port for scraping', (service) => {
    const { deployment } = container(service);
    const svc = one('Service', `driftline-${service}`);
    const labels = deployment.spec?.template?.metadata.labels ?? {};
    expect(deployment.spec?.selector?.matchLabels).toEqual(labels);
    expect(svc.spec?.selector).toEqual(labels);
    expect(svc.spec?.ports).toEqual([{ name: 'http', port: config.ports[service], targetPort: 'http' }]);
    expect(svc.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(config.ports[service]),
      'prometheus.io/path': '/metrics',
    });
  });

  it('runs no more monitor workers (replicas x MONITOR_WORKERS) than the predictions topic has partitions', () => {
    const replicas = container('monitor').deployment.spec?.replicas ?? 1;
    expect(replicas).toBeGreaterThanOrEqual(1);
    expect(replicas * config.monitor.workers).toBeLessThanOrEqual(config.kafka.partitions);
  });

  it('runs one process per api pod (API_WORKERS 1): the api scales by its replicas', () => {
    expect(config.api.workers).toBe(1);
  });
});
