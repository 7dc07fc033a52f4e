import type { Client } from 'pg';
import { processCpuMs } from '../../infra/proc/process-tree';

/** Cumulative counters of the bench database, and the CPU of the monitor's backends, at one instant. */
export interface PostgresSample {
  transactions: number;
  rowsWritten: number;
  /** CPU ms per backend pid of the monitor's connections; null when /proc cannot tell (remote server). */
  backendCpuMs: Map<number, number> | null;
}

/** What Postgres did for one phase. */
export interface PostgresActivity {
  /** Committed and rolled back transactions of the whole database (the monitor's, plus the bench's polls). */
  transactions: number;
  /** Rows inserted, updated and deleted in the database. */
  rowsWritten: number;
  /** CPU of the monitor's backends over the phase (those alive at its end); null if unknown. */
  monitorBackendCpuMs: number | null;
}

export async function samplePostgres(client: Client, applicationName: string): Promise<PostgresSample> {
  const { rows } = await client.query<{ xacts: string; written: string }>(
    `SELECT (xact_commit + xact_rollback)::text AS xacts, (tup_inserted + tup_updated + tup_deleted)::text AS written
       FROM pg_stat_database WHERE datname = current_database()`,
  );
  const backends = await client.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
    [applicationName],
  );
  let cpu: Map<number, number> | null = new Map();
  for (const { pid } of backends.rows) {
    const ms = processCpuMs(pid);
    if (ms === null) {
      cpu = null;
      break;
    }
    cpu.set(pid, ms);
  }
  return {
    transactions: Number(rows[0]?.xacts ?? 0),
    rowsWritten: Number(rows[0]?.written ?? 0),
    backendCpuMs: cpu,
  };
}

export function postgresActivity(before: PostgresSample, after: PostgresSample): PostgresActivity {
  let cpu: number | null = null;
  if (before.backendCpuMs !== null && after.backendCpuMs !== null) {
    cpu = 0;
    for (const [pid, ms] of after.backendCpuMs) cpu += ms - (before.backendCpuMs.get(pid) ?? 0);
  }
  return {
    transactions: after.transactions - before.transactions,
    rowsWritten: after.rowsWritten - before.rowsWritten,
    monitorBackendCpuMs: cpu,
  };
}
