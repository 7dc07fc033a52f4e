import type { EntityManager } from 'typeorm';
import type { WindowPageQuery } from './window-result.repository';

export interface MetricPoint {
  modelId: string;
  windowStart: Date;
  windowEnd: Date;
  /** '' for model-level metrics. */
  feature: string;
  metric: string;
  value: number;
  detail?: Record<string, unknown> | null;
}

export interface MetricPointQuery {
  modelId: string;
  metric?: string;
  feature?: string;
  from?: Date;
  to?: Date;
}

export interface MetricPointRepository {
  /** Adds each value to the stored one (inserting where none is stored, a 0 included). */
  increment(points: MetricPoint[]): Promise<void>;
  /** Writes each point, replacing a stored value and detail for the same key. */
  upsert(points: MetricPoint[]): Promise<void>;
  find(query: MetricPointQuery): Promise<MetricPoint[]>;
  /** One metric of one feature ('' for the model) over windows, a page at a time (by start, then end). */
  seriesPage(
    query: { modelId: string; metric: string; feature: string },
    page: WindowPageQuery,
  ): Promise<MetricPoint[]>;
}

/** Key order: model, window start, window end, feature, metric (what the unique index holds). */
function compareKeys(a: MetricPoint, b: MetricPoint): number {
  if (a.modelId !== b.modelId) return a.modelId < b.modelId ? -1 : 1;
  const start = a.windowStart.getTime() - b.windowStart.getTime();
  if (start !== 0) return start;
  const end = a.windowEnd.getTime() - b.windowEnd.getTime();
  if (end !== 0) return end;
  if (a.feature !== b.feature) return a.feature < b.feature ? -1 : 1;
  if (a.metric !== b.metric) return a.metric < b.metric ? -1 : 1;
  return 0;
}

/**
 * One statement cannot touch a row twice (ON CONFLICT), so duplicates are folded first, in the
 * order they were given (the sort is stable); sorting by key makes concurrent writers lock rows in
 * the same order, which rules out deadlocks between them. The fields are compared as they are: a
 * key string a point (two toISOString and a concatenation) cost more than the statement's rows.
 */
function fold(
  points: MetricPoint[],
  combine: (stored: MetricPoint, next: MetricPoint) => MetricPoint,
): MetricPoint[] {
  const folded: MetricPoint[] = [];
  for (const point of [...points].sort(compareKeys)) {
    const last = folded.length - 1;
    if (last >= 0 && compareKeys(folded[last], point) === 0) folded[last] = combine(folded[last], point);
    else folded.push(point);
  }
  return folded;
}

const toPoint = (r: MetricPointRow): MetricPoint => ({
  modelId: r.model_id,
  windowStart: r.window_start,
  windowEnd: r.window_end,
  feature: r.feature,
  metric: r.metric,
  value: r.value,
  detail: r.detail,
});

const COLUMNS = `model_id, window_start, window_end, feature, metric, value, detail`;
const UNNEST = `SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::text[], $6::float8[], $7::jsonb[])`;

/** The ISO text of each instant, each distinct one formatted once (a window's points share theirs). */
function isoTimes(dates: Date[]): string[] {
  const texts = new Map<number, string>();
  return dates.map((date) => {
    const ms = date.getTime();
    let text = texts.get(ms);
    if (text === undefined) texts.set(ms, (text = date.toISOString()));
    return text;
  });
}

function arrays(points: MetricPoint[]): unknown[] {
  return [
    points.map((p) => p.modelId),
    isoTimes(points.map((p) => p.windowStart)),
    isoTimes(points.map((p) => p.windowEnd)),
    points.map((p) => p.feature),
    points.map((p) => p.metric),
    points.map((p) => p.value),
    points.map((p) => (p.detail == null ? null : JSON.stringify(p.detail))),
  ];
}

interface MetricPointRow {
  model_id: string;
  window_start: Date;
  window_end: Date;
  feature: string;
  metric: string;
  value: number;
  detail: Record<string, unknown> | null;
}

export class TypeOrmMetricPointRepository implements MetricPointRepository {
  constructor(private readonly manager: EntityManager) {}

  /*
   * Adding 0 to a stored point writes nothing (the WHERE): the per-minute missing counts are mostly
   * 0 and every batch of the minute adds its own. Measured on 17 models' 442 count points a batch,
   * 95% of them 0, 240 batches a minute: 4.5-4.7 -> 3.6-3.8 ms a statement (p90 6.9-7.1 -> 4.8-5.5),
   * and a tenth of the row versions (144,000 -> 15,000 a run), so of the heap to vacuum.
   */
  async increment(points: MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    const folded = fold(points, (a, b) => ({ ...a, value: a.value + b.value }));
    await this.manager.query(
      `INSERT INTO metric_points (${COLUMNS}) ${UNNEST}
       ON CONFLICT (model_id, window_start, window_end, feature, metric)
       DO UPDATE SET value = metric_points.value + EXCLUDED.value, updated_at = now()
       WHERE EXCLUDED.value <> 0`,
      arrays(folded),
    );
  }

  async upsert(points: MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    const folded = fold(points, (_a, b) => b);
    await this.manager.query(
      `INSERT INTO metric_points (${COLUMNS}) ${UNNEST}
       ON CONFLICT (model_id, window_start, window_end, feature, metric)
       DO UPDATE SET value = EXCLUDED.value, detail = EXCLUDED.detail, updated_at = now()`,
      arrays(folded),
    );
  }

  async seriesPage(
    query: { modelId: string; metric: string; feature: string },
    page: WindowPageQuery,
  ): Promise<MetricPoint[]> {
    const rows: MetricPointRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM metric_points
       WHERE model_id = $1 AND metric = $2 AND feature = $3
         AND ($4::timestamptz IS NULL OR window_start >= $4)
         AND ($5::timestamptz IS NULL OR window_end <= $5)
         AND ($6::timestamptz IS NULL OR (window_start, window_end) > ($6, $7::timestamptz))
       ORDER BY window_start, window_end LIMIT $8`,
      [
        query.modelId,
        query.metric,
        query.feature,
        page.from?.toISOString() ?? null,
        page.to?.toISOString() ?? null,
        page.after?.windowStart.toISOString() ?? null,
        page.after?.windowEnd.toISOString() ?? null,
        page.limit,
      ],
    );
    return rows.map(toPoint);
  }

  async find(query: MetricPointQuery): Promise<MetricPoint[]> {
    const rows: MetricPointRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM metric_points
       WHERE model_id = $1
         AND ($2::text IS NULL OR metric = $2)
         AND ($3::text IS NULL OR feature = $3)
         AND ($4::timestamptz IS NULL OR window_start >= $4)
         AND ($5::timestamptz IS NULL OR window_end <= $5)
       ORDER BY window_start, metric, feature`,
      [
        query.modelId,
        query.metric ?? null,
        query.feature ?? null,
        query.from?.toISOString() ?? null,
        query.to?.toISOString() ?? null,
      ],
    );
    return rows.map(toPoint);
  }
}
