import { getJson, getJsonOrNull, itemsOf, pathOf } from './api.client';
import type { Alert, Model, Monitor, WindowResult } from './api.types';

const enc = encodeURIComponent;

export async function models(): Promise<Model[]> {
  return itemsOf<Model>(await getJson<unknown>(pathOf('/v1/models', { limit: 1000 })), 'models');
}

export function model(modelId: string): Promise<Model> {
  return getJson<Model>(`/v1/models/${enc(modelId)}`);
}

export function latestWindow(modelId: string): Promise<WindowResult | null> {
  return getJsonOrNull<WindowResult>(`/v1/models/${enc(modelId)}/windows/latest`, 'no_windows');
}

export async function windows(
  modelId: string,
  range: { from?: string; to?: string } = {},
): Promise<WindowResult[]> {
  const body = await getJson<unknown>(pathOf(`/v1/models/${enc(modelId)}/windows`, range));
  return itemsOf<WindowResult>(body, 'windows');
}

export async function alerts(query: { modelId?: string; status?: 'firing' | 'resolved' }): Promise<Alert[]> {
  return itemsOf<Alert>(await getJson<unknown>(pathOf('/v1/alerts', { ...query, limit: 500 })), 'alerts');
}

export function alert(alertId: string): Promise<Alert> {
  return getJson<Alert>(`/v1/alerts/${enc(alertId)}`);
}

export async function monitors(modelId: string): Promise<Monitor[]> {
  return itemsOf<Monitor>(
    await getJson<unknown>(pathOf('/v1/monitors', { modelId, limit: 1000 })),
    'monitors',
  );
}

/** The model's status at a glance: firing alerts first, then the last window's drift. */
export function statusOf(latest: WindowResult | null, firing: number): { text: string; tone: string } {
  if (firing > 0) return { text: `${firing} firing`, tone: 'bad' };
  if (latest === null) return { text: 'no window yet', tone: 'muted' };
  if (latest.drift.datasetDrift) return { text: 'drift', tone: 'warn' };
  return { text: 'ok', tone: 'ok' };
}
