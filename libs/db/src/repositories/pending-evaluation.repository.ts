import type { EntityManager } from 'typeorm';
import type { ClosedWindowFacts } from './window-summary.repository';

/** Notified (at commit) by every transaction that queues windows; the payload is empty. */
export const WINDOWS_CLOSED_CHANNEL = 'driftline_windows_closed';

export interface PendingWindowKey {
  modelId: string;
  windowStart: Date;
  windowEnd: Date;
}

/** A queued window with its stored summary (null if there is none: nothing to evaluate). */
export interface PendingEvaluation extends PendingWindowKey {
  id: string;
  /** When the batch that closed it queued it (its statement's time, shortly before that batch's commit). */
  closedAt: Date;
  stored: {
    summary: unknown;
    closed: ClosedWindowFacts | null;
    revision: number;
  } | null;
}

export interface PendingEvaluationRepository {
  /**
   * Queues closed windows for evaluation; a window already queued keeps its entry (and waits for no
   * lock on it). Listeners of WINDOWS_CLOSED_CHANNEL hear of it once the transaction commits.
   */
  add(windows: PendingWindowKey[]): Promise<void>;
  /** The oldest entries, locked (SKIP LOCKED: two loops never take the same), with their summaries. */
  claim(limit: number): Promise<PendingEvaluation[]>;
  /**
   * The ids among `claimed` that are due: their summary is still the revision read, and no older
   * entry of their model is left out of `claimed` (another loop holds it, or the limit cut it off).
   */
  due(claimed: PendingEvaluation[]): Promise<Set<string>>;
  remove(ids: string[]): Promise<void>;
  count(): Promise<number>;
}

interface PendingRow {
  id: string;
  model_id: string;
  window_start: Date;
  window_end: Date;
  closed_at: Date;
  summary: unknown;
  event_count: number | null;
  late_events: number | null;
  duplicate_events: number | null;
  state_key: string | null;
  revision: number | null;
}

function closedFacts(row: PendingRow): ClosedWindowFacts | null {
  const { event_count, late_events, duplicate_events, state_key } = row;
  if (event_count === null || late_events === null || duplicate_events === null || state_key === null)
    return null;
  return {
    eventCount: event_count,
    lateEvents: late_events,
    duplicateEvents: duplicate_events,
    stateKey: state_key,
  };
}

export class TypeOrmPendingEvaluationRepository implements PendingEvaluationRepository {
  constructor(private readonly manager: EntityManager) {}

  async add(windows: PendingWindowKey[]): Promise<void> {
    if (windows.length === 0) return;
    await this.manager.query(
      `WITH queued AS (
         INSERT INTO pending_window_evaluations (model_id, window_start, window_end, closed_at)
         SELECT *, clock_timestamp() FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[])
         ON CONFLICT (model_id, window_start, window_end) DO NOTHING
       )
       SELECT pg_notify($4, '')`,
      [
        windows.map((w) => w.modelId),
        windows.map((w) => w.windowStart.toISOString()),
        windows.map((w) => w.windowEnd.toISOString()),
        WINDOWS_CLOSED_CHANNEL,
      ],
    );
  }

  async claim(limit: number): Promise<PendingEvaluation[]> {
    const rows: PendingRow[] = await this.manager.query(
      `SELECT p.id::text AS id, p.model_id, p.window_start, p.window_end, p.closed_at, s.summary,
         s.event_count, s.late_events, s.duplicate_events, s.state_key, s.revision
       FROM pending_window_evaluations p
       LEFT JOIN window_summaries s
         ON s.model_id = p.model_id AND s.window_start = p.window_start AND s.window_end = p.window_end
       ORDER BY p.id LIMIT $1 FOR UPDATE OF p SKIP LOCKED`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      modelId: r.model_id,
      windowStart: r.window_start,
      windowEnd: r.window_end,
      closedAt: r.closed_at,
      stored:
        r.revision === null ? null : { summary: r.summary, closed: closedFacts(r), revision: r.revision },
    }));
  }

  async due(claimed: PendingEvaluation[]): Promise<Set<string>> {
    const read = claimed.filter((c) => c.stored !== null);
    if (read.length === 0) return new Set();
    const rows: { id: string }[] = await this.manager.query(
      `SELECT p.id::text AS id
       FROM unnest($1::bigint[], $2::int[]) AS c(id, revision)
       JOIN pending_window_evaluations p ON p.id = c.id
       JOIN window_summaries s
         ON s.model_id = p.model_id AND s.window_start = p.window_start AND s.window_end = p.window_end
       WHERE s.revision = c.revision
         AND NOT EXISTS (
           SELECT 1 FROM pending_window_evaluations o
           WHERE o.model_id = p.model_id AND o.id < p.id AND o.id <> ALL($3::bigint[]))`,
      [read.map((c) => c.id), read.map((c) => c.stored?.revision), claimed.map((c) => c.id)],
    );
    return new Set(rows.map((r) => r.id));
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.manager.query(`DELETE FROM pending_window_evaluations WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async count(): Promise<number> {
    const [row]: { count: string }[] = await this.manager.query(
      `SELECT count(*) AS count FROM pending_window_evaluations`,
    );
    return Number(row.count);
  }
}
