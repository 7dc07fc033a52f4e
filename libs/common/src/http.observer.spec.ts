import express from 'express';
import request from 'supertest';
import { silentLogger } from '@driftline/kafka';
import { httpObserver, UNMATCHED_ROUTE } from './http.observer';
import { ServiceMetrics } from './service.metrics';

async function counted(metrics: ServiceMetrics): Promise<Record<string, number>> {
  const { values } = await metrics.httpRequests.get();
  return Object.fromEntries(
    values.map((v) => [`${v.labels.method} ${v.labels.route} ${v.labels.status}`, v.value]),
  );
}

describe('httpObserver', () => {
  const metrics = new ServiceMetrics('http-test');
  const app = express();
  app.use(httpObserver(metrics, silentLogger));
  app.get('/v1/models/:id', (req, res) => {
    res.status(req.params.id === 'absent' ? 404 : 200).json({});
  });

  it('counts by route pattern and status, a path no route matched as unmatched, and times each request', async () => {
    await request(app).get('/v1/models/m-1');
    await request(app).get('/v1/models/m-2');
    await request(app).get('/v1/models/absent');
    await request(app).get('/nowhere/m-3');
    expect(await counted(metrics)).toEqual({
      'GET /v1/models/:id 200': 2,
      'GET /v1/models/:id 404': 1,
      [`GET ${UNMATCHED_ROUTE} 404`]: 1,
    });
    const durations = (await metrics.httpDuration.get()).values.filter((v) =>
      v.metricName?.endsWith('_count'),
    );
    expect(Object.fromEntries(durations.map((v) => [v.labels.route, v.value]))).toEqual({
      '/v1/models/:id': 3,
      [UNMATCHED_ROUTE]: 1,
    });
  });
});
