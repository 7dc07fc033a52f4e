import { parseDuration } from '../../../libs/windowing/src/duration.parser';
import { allItems, getJson, getJsonOrNull, pathOf } from './api.client';
import type { Alert, Model, Monitor, WindowResult } from './api.types';

const enc = encodeURIComponent;

export function models(): Promise<Model[]> {
  return allItems<Model>('/v1/models', 'models');
}

export function model(modelId: string): Promise<Model> {
  return getJson<Model>(`/v1/models/${enc(modelId)}`);
}

export function latestWindow(modelId: string): Promise<WindowResult | null> {
  return getJsonOrNull<WindowResult>(`/v1/models/${enc(modelId)}/windows/latest`, 'no_windows');
}

export function windows(
  modelId: string,
  range: { from?: string; to?: string } = {},
): Promise<WindowResult[]> {
  return allItems<WindowResult>(pathOf(`/v1/models/${enc(modelId)}/windows`, range), 'windows');
}

/** The model's newest `count` windows (or fewer), oldest first, and whether older ones are left out. */
export async function newestWindows(
  m: Model,
  count: number,
): Promise<{ windows: WindowResult[]; more: boolean }> {
  const latest = await latestWindow(m.modelId);
  if (latest === null) return { windows: [], more: false };
  const step = parseDuration(m.window.step ?? m.window.size);
  const from = new Date(Date.parse(latest.windowStart) - count * step).toISOString();
  const found = await windows(m.modelId, { from });
  return { windows: found.slice(-count), more: found.length > count };
}

export function alerts(query: { modelId?: string; status?: 'firing' | 'resolved' }): Promise<Alert[]> {
  return allItems<Alert>(pathOf('/v1/alerts', { ...query, limit: 500 }), 'alerts');
}

export function alert(alertId: string): Promise<Alert> {
  return getJson<Alert>(`/v1/alerts/${enc(alertId)}`);
}

export function monitors(modelId: string): Promise<Monitor[]> {
  return allItems<Monitor>(pathOf('/v1/monitors', { modelId, limit: 1000 }), 'monitors');
}

/** The model's status at a glance: firing alerts first, then the last window's drift. */
export function statusOf(latest: WindowResult | null, firing: number): { text: string; tone: string } {
  if (firing > 0) return { text: `${firing} firing`, tone: 'bad' };
  if (latest === null) return { text: 'no window yet', tone: 'muted' };
  if (latest.drift.datasetDrift) return { text: 'drift', tone: 'warn' };
  return { text: 'ok', tone: 'ok' };
}
