interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** A V8 .cpuprofile (Profiler.stop's `profile`). */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  /** Share of the busy (non-idle) samples, 0..1. */
  share: number;
  ms: number;
}

export interface ProfileSummary {
  /** Threads profiled (the monitor's main thread and its workers); absent in results of older runs. */
  threads?: number;
  busyMs: number;
  idleMs: number;
  functions: SelfTime[];
  areas: SelfTime[];
}

const AREAS: [RegExp, string][] = [
  [/node_modules\/kafkajs\//, 'kafkajs (fetch, decode, protocol)'],
  [/node_modules\/(pg|pg-protocol|pg-types|pg-pool)\//, 'pg driver (SQL round trips, parsing rows)'],
  [/node_modules\/typeorm\//, 'typeorm'],
  [/node_modules\/ajv/, 'ajv (event validation)'],
  [/node_modules\/@datadog\//, 'sketches-js (quantile sketches)'],
  [/node_modules\//, 'other node_modules'],
  [/libs\/contracts\//, 'libs/contracts (decode, validation)'],
  [/libs\/stats\//, 'libs/stats (summaries, drift)'],
  [/libs\/windowing\//, 'libs/windowing (panes, watermark)'],
  [/libs\/db\//, 'libs/db (repositories)'],
  [/libs\/kafka\//, 'libs/kafka (batch consumer)'],
  [/services\/monitor\//, 'services/monitor'],
  [/^node:|^internal\//, 'node core'],
];

function area(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collector';
    if (functionName === '(program)') return '(program): V8/native outside JS';
    // ajv compiles validators with new Function(): they have no url
    if (functionName.startsWith('validate')) return 'ajv (event validation)';
    return `native: ${functionName || '(anonymous)'}`;
  }
  for (const [pattern, name] of AREAS) if (pattern.test(url)) return name;
  return 'other';
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|dist)\//, '$1/');
  return url === ''
    ? functionName || '(anonymous)'
    : `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/**
 * Self time per function and per area of the code, as shares of the samples that were not idle, over
 * one or several profiles (one per thread of the monitor: busy and idle time add up over them).
 */
export function summarizeProfile(profiles: CpuProfile | CpuProfile[], top = 15): ProfileSummary {
  const fn = new Map<string, number>();
  const areas = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const profile of Array.isArray(profiles) ? profiles : [profiles]) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const node = byId.get(id);
      const us = profile.timeDeltas[i] ?? 0;
      if (node === undefined) return;
      if (node.callFrame.functionName === '(idle)') {
        idle += us;
        return;
      }
      busy += us;
      const name = label(node);
      fn.set(name, (fn.get(name) ?? 0) + us);
      const a = area(node);
      areas.set(a, (areas.get(a) ?? 0) + us);
    });
  }
  const ranked = (m: Map<string, number>, n: number): SelfTime[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, share: busy > 0 ? us / busy : 0, ms: us / 1000 }));
  return { busyMs: busy / 1000, idleMs: idle / 1000, functions: ranked(fn, top), areas: ranked(areas, 20) };
}
