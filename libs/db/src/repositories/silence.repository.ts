import type { LabelMatcher } from '@driftline/contracts';
import type { EntityManager } from 'typeorm';
import { returnedRows } from './returned.rows';

export interface SilenceWrite {
  matchers: LabelMatcher[];
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  comment: string;
}

export interface SilenceRecord extends SilenceWrite {
  id: string;
  /** Creation order, the list's cursor. */
  seq: string;
  createdAt: Date;
  updatedAt: Date;
}

export type SilenceState = 'pending' | 'active' | 'expired';

export interface SilencePageQuery {
  /** Only silences in this state at `now`. */
  state?: SilenceState;
  now: Date;
  /** Silences created before this one (the previous page's last seq). */
  beforeSeq?: string;
  limit: number;
}

/** Silences; the api writes them, the notifier reads the active ones. Expired ones stay listable. */
export interface SilenceRepository {
  create(silence: SilenceWrite): Promise<SilenceRecord>;
  /** null when there is no such silence or it has expired by `now` (an expired silence is history). */
  replace(id: string, silence: SilenceWrite, now: Date): Promise<SilenceRecord | null>;
  /** Ends it at `at` unless it ended before (a pending one then never starts); null when unknown. */
  expire(id: string, at: Date): Promise<SilenceRecord | null>;
  find(id: string): Promise<SilenceRecord | null>;
  /** Newest first. */
  page(query: SilencePageQuery): Promise<SilenceRecord[]>;
  /** The silences in force at `at`: startsAt <= at < endsAt. */
  findActive(at: Date): Promise<SilenceRecord[]>;
}

interface SilenceRow {
  seq: string;
  silence_id: string;
  matchers: LabelMatcher[];
  starts_at: Date;
  ends_at: Date;
  created_by: string;
  comment: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'seq, silence_id, matchers, starts_at, ends_at, created_by, comment, created_at, updated_at';

const toRecord = (row: SilenceRow): SilenceRecord => ({
  id: row.silence_id,
  seq: String(row.seq),
  matchers: row.matchers,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  createdBy: row.created_by,
  comment: row.comment,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const STATE_CONDITION: Record<SilenceState, string> = {
  pending: 'starts_at > $1',
  active: 'starts_at <= $1 AND ends_at > $1',
  expired: 'ends_at <= $1',
};

export class TypeOrmSilenceRepository implements SilenceRepository {
  constructor(private readonly manager: EntityManager) {}

  async create(silence: SilenceWrite): Promise<SilenceRecord> {
    const [created] = await this.write(
      `INSERT INTO silences (silence_id, matchers, starts_at, ends_at, created_by, comment)
       VALUES (gen_random_uuid(), $1::jsonb, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [
        JSON.stringify(silence.matchers),
        silence.startsAt.toISOString(),
        silence.endsAt.toISOString(),
        silence.createdBy,
        silence.comment,
      ],
    );
    return created;
  }

  async replace(id: string, silence: SilenceWrite, now: Date): Promise<SilenceRecord | null> {
    if (!UUID.test(id)) return null;
    const [replaced] = await this.write(
      `UPDATE silences SET matchers = $2::jsonb, starts_at = $3, ends_at = $4, created_by = $5, comment = $6,
         updated_at = now()
       WHERE silence_id = $1 AND ends_at > $7 RETURNING ${COLUMNS}`,
      [
        id,
        JSON.stringify(silence.matchers),
        silence.startsAt.toISOString(),
        silence.endsAt.toISOString(),
        silence.createdBy,
        silence.comment,
        now.toISOString(),
      ],
    );
    return replaced ?? null;
  }

  async expire(id: string, at: Date): Promise<SilenceRecord | null> {
    if (!UUID.test(id)) return null;
    const [expired] = await this.write(
      `UPDATE silences
       SET starts_at = LEAST(starts_at, $2), ends_at = LEAST(ends_at, $2),
           updated_at = CASE WHEN ends_at > $2 THEN now() ELSE updated_at END
       WHERE silence_id = $1 RETURNING ${COLUMNS}`,
      [id, at.toISOString()],
    );
    return expired ?? null;
  }

  async find(id: string): Promise<SilenceRecord | null> {
    if (!UUID.test(id)) return null;
    const rows: SilenceRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM silences WHERE silence_id = $1`,
      [id],
    );
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  async page(query: SilencePageQuery): Promise<SilenceRecord[]> {
    const state = query.state === undefined ? '$1::timestamptz IS NOT NULL' : STATE_CONDITION[query.state];
    const rows: SilenceRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM silences
       WHERE ${state} AND ($2::bigint IS NULL OR seq < $2)
       ORDER BY seq DESC LIMIT $3`,
      [query.now.toISOString(), query.beforeSeq ?? null, query.limit],
    );
    return rows.map(toRecord);
  }

  async findActive(at: Date): Promise<SilenceRecord[]> {
    const rows: SilenceRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM silences WHERE ${STATE_CONDITION.active} ORDER BY seq`,
      [at.toISOString()],
    );
    return rows.map(toRecord);
  }

  private async write(sql: string, parameters: unknown[]): Promise<SilenceRecord[]> {
    return returnedRows<SilenceRow>(await this.manager.query(sql, parameters)).map(toRecord);
  }
}
