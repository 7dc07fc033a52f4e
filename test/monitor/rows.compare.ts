/**
 * Differences between stored rows (or figures), numbers within 1e-9 relative: sums over labels
 * are added pane by pane in the monitor and row by row offline, and a label that waited for its
 * prediction is added in another order, so the last bits may differ.
 */
export function differences(actual: unknown, expected: unknown, path = '$', out: string[] = []): string[] {
  if (typeof actual === 'number' && typeof expected === 'number') {
    const scale = Math.max(Math.abs(actual), Math.abs(expected), 1e-300);
    if (actual !== expected && Math.abs(actual - expected) / scale > 1e-9)
      out.push(`${path}: ${actual} != ${expected}`);
    return out;
  }
  if (actual instanceof Date && expected instanceof Date) {
    if (actual.getTime() !== expected.getTime())
      out.push(`${path}: ${actual.toISOString()} != ${expected.toISOString()}`);
    return out;
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) out.push(`${path}: length ${actual.length} != ${expected.length}`);
    for (let i = 0; i < Math.min(actual.length, expected.length); i++)
      differences(actual[i], expected[i], `${path}[${i}]`, out);
    return out;
  }
  if (typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null) {
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
    for (const key of keys) {
      differences(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        `${path}.${key}`,
        out,
      );
    }
    return out;
  }
  if (actual !== expected) out.push(`${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
  return out;
}
