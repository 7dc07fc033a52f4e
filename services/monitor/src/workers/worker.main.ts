/**
 * Entry point of a monitor worker thread (started by WorkerPool): builds MonitorWorkerModule, whose
 * consumer joins the monitor's group at bootstrap, then answers the main thread's requests on its
 * port until asked to stop.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger, METRICS, PinoNestLogger, type ServiceMetrics } from '@driftline/common';
import { MonitorConsumer } from '../monitor.consumer';
import { MonitorWorkerModule } from './monitor-worker.module';
import type { WorkerAnswers, WorkerData, WorkerMessage, WorkerRequest } from './worker.protocol';

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('worker.main runs in a worker thread (see WorkerPool)');
  const { identity, config } = workerData as WorkerData;
  const logger = createLogger('monitor', config.log.level).child({ worker: identity.id });
  const app = await NestFactory.createApplicationContext(
    MonitorWorkerModule.forWorker({ config, logger }, identity),
    { logger: new PinoNestLogger(logger) },
  );
  const consumer = app.get(MonitorConsumer);
  const metrics = app.get<ServiceMetrics>(METRICS);
  const answer = async (request: WorkerRequest): Promise<WorkerAnswers[keyof WorkerAnswers]> => {
    switch (request.question) {
      case 'metrics':
        return metrics.registry.getMetricsAsJSON();
      case 'readiness':
        return { ready: consumer.isReady(), problems: consumer.problems() };
      case 'stop':
        await app.close();
        return null;
    }
  };
  const send = (message: WorkerMessage) => port.postMessage(message);
  port.on('message', (request: WorkerRequest) => {
    answer(request).then(
      (value) => send({ kind: 'answer', id: request.id, answer: value }),
      (error: Error) => send({ kind: 'failed', id: request.id, error: error.message }),
    );
  });
  send({ kind: 'started' });
}

// an error thrown here ends the thread: WorkerPool sees it exit and ends the process
void main();
