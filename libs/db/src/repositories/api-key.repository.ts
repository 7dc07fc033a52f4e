import type { ApiKeyScope } from '@driftline/contracts';
import type { EntityManager } from 'typeorm';
import { returnedRows } from './returned.rows';

export interface ApiKeyRecord {
  keyId: string;
  name: string;
  scopes: ApiKeyScope[];
  /** The scrypt hash of the secret; the api never returns it. */
  secretHash: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface ApiKeyPageQuery {
  /** Keys created after this one (the previous page's last). */
  after?: { createdAt: Date; keyId: string };
  limit: number;
}

/** API keys; the api is their only writer and reader. */
export interface ApiKeyRepository {
  create(key: Pick<ApiKeyRecord, 'keyId' | 'name' | 'scopes' | 'secretHash'>): Promise<ApiKeyRecord>;
  /** Marks the key revoked (idempotent); null when there is no such key. */
  revoke(keyId: string): Promise<ApiKeyRecord | null>;
  /** Null when there is no such key or it is revoked. */
  findActive(keyId: string): Promise<ApiKeyRecord | null>;
  /** Every key not revoked. */
  findAllActive(): Promise<ApiKeyRecord[]>;
  /** Oldest first, revoked ones included. */
  page(query: ApiKeyPageQuery): Promise<ApiKeyRecord[]>;
  markUsed(keyIds: string[], at: Date): Promise<void>;
}

interface ApiKeyRow {
  key_id: string;
  name: string;
  scopes: ApiKeyScope[];
  secret_hash: string;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = 'key_id, name, scopes, secret_hash, created_at, revoked_at, last_used_at';

const toRecord = (row: ApiKeyRow): ApiKeyRecord => ({
  keyId: row.key_id,
  name: row.name,
  scopes: row.scopes,
  secretHash: row.secret_hash,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

export class TypeOrmApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly manager: EntityManager) {}

  async create(key: Pick<ApiKeyRecord, 'keyId' | 'name' | 'scopes' | 'secretHash'>): Promise<ApiKeyRecord> {
    const rows = returnedRows<ApiKeyRow>(
      await this.manager.query(
        `INSERT INTO api_keys (key_id, name, scopes, secret_hash) VALUES ($1, $2, $3::text[], $4)
         RETURNING ${COLUMNS}`,
        [key.keyId, key.name, key.scopes, key.secretHash],
      ),
    );
    return toRecord(rows[0]);
  }

  async revoke(keyId: string): Promise<ApiKeyRecord | null> {
    const rows = returnedRows<ApiKeyRow>(
      await this.manager.query(
        `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE key_id = $1 RETURNING ${COLUMNS}`,
        [keyId],
      ),
    );
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  async findActive(keyId: string): Promise<ApiKeyRecord | null> {
    const rows: ApiKeyRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL`,
      [keyId],
    );
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  async findAllActive(): Promise<ApiKeyRecord[]> {
    const rows: ApiKeyRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM api_keys WHERE revoked_at IS NULL ORDER BY key_id`,
    );
    return rows.map(toRecord);
  }

  async page(query: ApiKeyPageQuery): Promise<ApiKeyRecord[]> {
    const rows: ApiKeyRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM api_keys
       WHERE ($1::timestamptz IS NULL OR (created_at, key_id) > ($1::timestamptz, $2::text))
       ORDER BY created_at, key_id LIMIT $3`,
      [query.after?.createdAt ?? null, query.after?.keyId ?? null, query.limit],
    );
    return rows.map(toRecord);
  }

  async markUsed(keyIds: string[], at: Date): Promise<void> {
    if (keyIds.length === 0) return;
    await this.manager.query(
      `UPDATE api_keys SET last_used_at = GREATEST(last_used_at, $2::timestamptz) WHERE key_id = ANY($1::text[])`,
      [keyIds, at],
    );
  }
}
