import type { ModelSpec } from '@driftline/contracts';
import type { UnitOfWork } from '@driftline/db';
import type {
  ModelDefinitionStore,
  MonitorUnitOfWork,
  StoredDefinition,
  WindowResultStore,
} from './monitor.store';
import type { WindowResult, WindowResultRow } from './window.result';

function definitionStore(tx: UnitOfWork): ModelDefinitionStore {
  return {
    find: async (modelIds, knownReferenceIds) => {
      const found = new Map<string, StoredDefinition>();
      for (const record of await tx.modelDefinitions.find(modelIds, knownReferenceIds)) {
        // a model only seen in events has settings {}: it is counted, not monitored
        if (!('window' in record.settings)) continue;
        found.set(record.modelId, {
          spec: record.settings as unknown as ModelSpec,
          reference: record.reference,
        });
      }
      return found;
    },
  };
}

function windowStore(tx: UnitOfWork): WindowResultStore {
  return {
    // the stored document is the contracts' WindowResult, plain JSON
    upsert: (rows) =>
      tx.windows.upsert(rows.map((r) => ({ ...r, result: r.result as unknown as Record<string, unknown> }))),
    overlapping: async (modelId, from, to, size) => {
      const rows = await tx.windows.range(
        modelId,
        new Date(from.getTime() - size),
        new Date(to.getTime() + size),
      );
      return rows
        .filter((r) => r.windowEnd > from && r.windowStart < to)
        .filter((r) => r.windowEnd.getTime() - r.windowStart.getTime() === size)
        .map((r): WindowResultRow => ({ ...r, result: r.result as unknown as WindowResult }));
    },
    patchPerformance: async (modelId, windowStart, windowEnd, performance) => {
      await tx.windows.patchPerformance(modelId, windowStart, windowEnd, performance);
    },
  };
}

/** The monitor's view of a libs/db unit of work. */
export function monitorUnitOfWork(tx: UnitOfWork): MonitorUnitOfWork {
  return {
    definitions: definitionStore(tx),
    metrics: tx.metrics,
    windowState: tx.windowState,
    paneState: tx.paneState,
    windows: windowStore(tx),
    predictionLog: tx.predictionLog,
    pendingLabels: tx.pendingLabels,
    performancePanes: tx.performancePanes,
    modelLocks: tx.modelLocks,
    windowSummaries: tx.windowSummaries,
    pendingEvaluations: tx.pendingEvaluations,
    monitors: tx.monitors,
    ruleStates: tx.ruleStates,
    alerts: tx.alerts,
    outbox: tx.outbox,
  };
}
