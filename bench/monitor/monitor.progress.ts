import { Client } from 'pg';
import { samplePostgres, type PostgresSample } from './postgres.activity';

export interface WindowRow {
  modelId: string;
  windowEnd: number;
  /** Start time of the transaction that wrote the row (now() in Postgres), epoch ms. */
  updatedAt: number;
  eventCount: number;
}

/** Read-only queries on the monitor's tables, to tell how far it has got. */
export class MonitorProgress {
  private constructor(private readonly client: Client) {}

  static async connect(url: string): Promise<MonitorProgress> {
    const client = new Client({ connectionString: url, application_name: 'driftline-bench' });
    client.on('error', () => undefined);
    await client.connect();
    return new MonitorProgress(client);
  }

  /** Sum over partitions of the next offset the group will consume, as committed with the monitor's batches. */
  async committedOffsets(groupId: string, topic: string): Promise<number> {
    const { rows } = await this.client.query<{ sum: string | null }>(
      'SELECT SUM(next_offset)::text AS sum FROM consumer_offsets WHERE group_id = $1 AND topic = $2',
      [groupId, topic],
    );
    return Number(rows[0]?.sum ?? 0);
  }

  /** Sum of the per-minute prediction_count metric points (every valid prediction adds one). */
  async predictionCount(): Promise<number> {
    const { rows } = await this.client.query<{ sum: string | null }>(
      "SELECT SUM(value)::text AS sum FROM metric_points WHERE metric = 'prediction_count' AND feature = ''",
    );
    return Number(rows[0]?.sum ?? 0);
  }

  async windowRowsSince(windowEndFrom: number): Promise<WindowRow[]> {
    const { rows } = await this.client.query<{
      model_id: string;
      end_ms: string;
      updated_ms: string;
      event_count: string;
    }>(
      `SELECT model_id, (extract(epoch FROM window_end) * 1000)::bigint::text AS end_ms,
              (extract(epoch FROM updated_at) * 1000)::bigint::text AS updated_ms, event_count::text
         FROM window_results WHERE window_end >= to_timestamp($1::double precision / 1000)`,
      [windowEndFrom],
    );
    return rows.map((r) => ({
      modelId: r.model_id,
      windowEnd: Number(r.end_ms),
      updatedAt: Number(r.updated_ms),
      eventCount: Number(r.event_count),
    }));
  }

  /** Closed windows the monitor queued and has not evaluated yet. */
  async pendingEvaluations(): Promise<number> {
    const { rows } = await this.client.query<{ count: string }>(
      'SELECT COUNT(*)::text AS count FROM pending_window_evaluations',
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Window rows written, and the late events they counted. */
  async windowSummary(): Promise<{ windows: number; lateEvents: number }> {
    const { rows } = await this.client.query<{ windows: string; late: string | null }>(
      "SELECT COUNT(*)::text AS windows, SUM((result->>'lateEvents')::bigint)::text AS late FROM window_results",
    );
    return { windows: Number(rows[0]?.windows ?? 0), lateEvents: Number(rows[0]?.late ?? 0) };
  }

  /** Stored pane snapshots: how many, and their JSON size (what the monitor holds in memory, serialized). */
  async paneState(): Promise<{ panes: number; averageBytes: number; totalBytes: number }> {
    const { rows } = await this.client.query<{ panes: string; avg: string | null; total: string | null }>(
      "SELECT COUNT(*)::text AS panes, AVG(length(state::text))::text AS avg, SUM(length(state::text))::text AS total FROM pane_state WHERE key LIKE 'pane:%'",
    );
    return {
      panes: Number(rows[0]?.panes ?? 0),
      averageBytes: Math.round(Number(rows[0]?.avg ?? 0)),
      totalBytes: Number(rows[0]?.total ?? 0),
    };
  }

  /** The database's transaction and row counters, and the CPU of the backends of `applicationName`. */
  samplePostgres(applicationName: string): Promise<PostgresSample> {
    return samplePostgres(this.client, applicationName);
  }

  async serverVersion(): Promise<string> {
    const { rows } = await this.client.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${rows[0]?.server_version ?? '?'}`;
  }

  close(): Promise<void> {
    return this.client.end().catch(() => undefined);
  }
}
