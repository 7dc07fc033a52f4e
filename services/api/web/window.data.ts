import { getJson, pathOf } from './api.client';
import type { WindowDistributions, WindowResult } from './api.types';
import { windows } from './model.data';

/** One window's result, found among the model's windows by its bounds. */
export async function windowResult(
  modelId: string,
  start: string,
  end: string,
): Promise<WindowResult | null> {
  const found = await windows(modelId, { from: start, to: end });
  const [s, e] = [Date.parse(start), Date.parse(end)];
  return found.find((w) => Date.parse(w.windowStart) === s && Date.parse(w.windowEnd) === e) ?? null;
}

export function distributions(modelId: string, start: string, end: string): Promise<WindowDistributions> {
  return getJson<WindowDistributions>(
    pathOf(`/v1/models/${encodeURIComponent(modelId)}/windows/distributions`, {
      windowStart: start,
      windowEnd: end,
    }),
  );
}
