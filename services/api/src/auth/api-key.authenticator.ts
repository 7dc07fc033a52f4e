import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DRIFTLINE_CONFIG, type AuthConfig, type DriftlineConfig } from '@driftline/config';
import type { ApiKeyRecord, ApiKeyRepository } from '@driftline/db';
import { CLOCK, LOGGER, PeriodicTask, type Clock, type Logger } from '@driftline/common';
import { keyIdOf, secretDigest, verifySecret } from './api-key.secret';
import { AuthRefusal, BOOTSTRAP_PRINCIPAL, type Principal } from './api-key.principal';
import { API_KEY_REPOSITORY } from './auth.tokens';

/** Most failed secrets remembered between two refreshes, so a bad key resent costs no scrypt. */
const MAX_REMEMBERED_FAILURES = 10_000;

const BEARER = /^Bearer +(\S+) *$/i;

const principalOf = (key: ApiKeyRecord): Principal => ({
  keyId: key.keyId,
  name: key.name,
  scopes: key.scopes,
});

/**
 * Checks a request's bearer key without a slow hash per request: a secret verified once (scrypt)
 * is remembered by its SHA-256 while its key stays active. The active keys are reloaded from
 * Postgres every AUTH_KEY_CACHE_MS, which is how long another instance's revocation takes to reach
 * this one; a revocation made here applies at once.
 */
@Injectable()
export class ApiKeyAuthenticator implements OnModuleInit, BeforeApplicationShutdown {
  private readonly auth: AuthConfig;
  private readonly adminDigest: Buffer | null;
  private active = new Map<string, ApiKeyRecord>();
  /** hex SHA-256 of a verified secret → its key id. */
  private readonly verified = new Map<string, string>();
  private readonly verifying = new Map<string, Promise<string | null>>();
  private readonly failed = new Set<string>();
  private readonly revokedHere = new Set<string>();
  private readonly used = new Set<string>();
  private readonly refresher: PeriodicTask;

  constructor(
    @Inject(DRIFTLINE_CONFIG) config: DriftlineConfig,
    @Inject(API_KEY_REPOSITORY) private readonly keys: ApiKeyRepository,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.auth = config.auth;
    this.adminDigest = config.auth.adminKey === null ? null : secretDigest(config.auth.adminKey);
    this.refresher = new PeriodicTask(
      'api key refresh',
      config.auth.keyCacheMs,
      () => this.refresh(),
      logger,
    );
  }

  async onModuleInit(): Promise<void> {
    if (!this.auth.enabled) return;
    await this.refresh();
    this.refresher.start();
    if (this.adminDigest === null && this.active.size === 0) {
      this.logger.error(
        'no API key can call the api: DRIFTLINE_ADMIN_KEY is not set and no key is stored; set DRIFTLINE_ADMIN_KEY and restart to create keys',
      );
    }
  }

  /** Before the database closes: the last uses are written. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.refresher.stop();
    await this.keys.markUsed([...this.used], new Date(this.clock.now())).catch(() => undefined);
  }

  /** The principal of an `Authorization` header; throws a 401 AuthRefusal. */
  async authenticate(header: string | undefined): Promise<Principal> {
    if (header === undefined || header === '') {
      throw new AuthRefusal('missing', 'no API key: send Authorization: Bearer <key>');
    }
    const secret = BEARER.exec(header)?.[1];
    if (secret === undefined)
      throw new AuthRefusal('malformed', 'the Authorization header is not Bearer <key>');
    const digest = secretDigest(secret);
    if (this.adminDigest !== null && timingSafeEqual(digest, this.adminDigest)) return BOOTSTRAP_PRINCIPAL;
    const keyId = await this.verifiedKeyId(secret, digest.toString('hex'));
    const key = keyId === null ? undefined : this.active.get(keyId);
    if (key === undefined) throw new AuthRefusal('unknown', 'unknown or revoked API key');
    this.used.add(key.keyId);
    return principalOf(key);
  }

  /** A key this instance just created works here at once. */
  remember(key: ApiKeyRecord): void {
    this.active.set(key.keyId, key);
  }

  /** A key this instance revoked is refused here at once, and is never reloaded. */
  forget(keyId: string): void {
    this.revokedHere.add(keyId);
    this.active.delete(keyId);
    for (const [digest, id] of this.verified) if (id === keyId) this.verified.delete(digest);
  }

  private async verifiedKeyId(secret: string, digest: string): Promise<string | null> {
    const known = this.verified.get(digest);
    if (known !== undefined) return known;
    if (this.failed.has(digest)) return null;
    const keyId = keyIdOf(secret);
    if (keyId === null) throw new AuthRefusal('malformed', 'not a Driftline API key (dlk_...)');
    let pending = this.verifying.get(digest);
    if (pending === undefined) {
      pending = this.verify(keyId, secret, digest).finally(() => this.verifying.delete(digest));
      this.verifying.set(digest, pending);
    }
    return pending;
  }

  private async verify(keyId: string, secret: string, digest: string): Promise<string | null> {
    // a key created on another instance since the last refresh is read at once
    const key = this.active.get(keyId) ?? (await this.load(keyId));
    if (key !== null && (await verifySecret(secret, key.secretHash))) {
      this.verified.set(digest, keyId);
      return keyId;
    }
    if (this.failed.size < MAX_REMEMBERED_FAILURES) this.failed.add(digest);
    return null;
  }

  private async load(keyId: string): Promise<ApiKeyRecord | null> {
    const key = this.revokedHere.has(keyId) ? null : await this.keys.findActive(keyId);
    if (key !== null) this.active.set(keyId, key);
    return key;
  }

  private async refresh(): Promise<void> {
    const loaded = await this.keys.findAllActive();
    this.active = new Map(loaded.filter((k) => !this.revokedHere.has(k.keyId)).map((k) => [k.keyId, k]));
    for (const [digest, keyId] of this.verified) if (!this.active.has(keyId)) this.verified.delete(digest);
    this.failed.clear();
    const used = [...this.used];
    this.used.clear();
    await this.keys.markUsed(used, new Date(this.clock.now()));
  }
}
