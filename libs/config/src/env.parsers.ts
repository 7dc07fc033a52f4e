// Parsers for environment values: each returns the typed value or throws with what was expected.
import { formatDuration, parseDuration } from '@driftline/windowing';

export function parseInteger(raw: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new Error(`expected an integer between ${min} and ${max}`);
  const value = Number(raw);
  if (value < min || value > max) throw new Error(`expected an integer between ${min} and ${max}`);
  return value;
}

/** "24h", "90m", "1h30m", "7d" (as model windows are written) → milliseconds, within [min, max]. */
export function parseDurationMs(raw: string, minMs: number, maxMs: number): number {
  const range = `between ${formatDuration(minMs)} and ${formatDuration(maxMs)}`;
  let ms: number;
  try {
    ms = parseDuration(raw);
  } catch {
    throw new Error(`expected a duration such as 24h, 90m or 7d, ${range}`);
  }
  if (ms < minMs || ms > maxMs) throw new Error(`expected a duration ${range}`);
  return ms;
}

export function parsePort(raw: string): number {
  return parseInteger(raw, 1, 65535);
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** "5mb", "512kb", "1048576" → bytes (binary units, as body-parser reads them). */
export function parseByteSize(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(raw.trim());
  if (!match) throw new Error('expected a size such as 5mb, 512kb or 1048576');
  const bytes = Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]);
  if (bytes < 1) throw new Error('expected a size of at least 1 byte');
  return bytes;
}

export function parseBrokers(raw: string): string[] {
  const brokers = raw
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (brokers.length === 0) throw new Error('expected a comma-separated list of host:port');
  for (const broker of brokers) {
    const match = /^([^:\s]+):(\d+)$/.exec(broker);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
      throw new Error(`"${broker}" is not host:port`);
    }
  }
  return brokers;
}

export function parsePostgresUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('expected a URL such as postgres://user:password@host:5432/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error('expected a postgres:// or postgresql:// URL');
  }
  return raw;
}

export function parseChoice<T extends string>(raw: string, choices: readonly T[]): T {
  const value = raw.trim().toLowerCase();
  const found = choices.find((c) => c === value);
  if (found === undefined) throw new Error(`expected one of ${choices.join(', ')}`);
  return found;
}

export function parseTopicPrefix(raw: string): string {
  if (!/^[A-Za-z0-9._-]*$/.test(raw)) throw new Error('expected only letters, digits, ".", "_" and "-"');
  return raw;
}

export function parseText(raw: string): string {
  if (raw.trim().length === 0) throw new Error('expected a non-empty value');
  return raw.trim();
}

/** An http(s) base URL such as https://driftline.example.com, kept without a trailing slash. */
export function parseHttpUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error('expected an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error('expected an http:// or https:// URL');
  }
  return raw.trim().replace(/\/+$/, '');
}

/** Comma-separated ids ("" for none), e.g. "oncall-slack,ml-email". */
export function parseIdList(raw: string): string[] {
  const ids = raw
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  for (const id of ids) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(id)) throw new Error(`"${id}" is not an id`);
  }
  return ids;
}

/** smtp://[user:password@]host:port or smtps://...; "" for none. The value is never echoed: it may hold a password. */
export function parseSmtpUrl(raw: string): string | null {
  if (raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error('expected a URL such as smtp://user:password@host:587');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new Error('expected an smtp:// or smtps:// URL');
  if (url.hostname === '') throw new Error('expected a host in the URL');
  return raw.trim();
}

/** Any text, "" for none. */
export function parseOptionalText(raw: string): string | null {
  return raw.trim() === '' ? null : raw.trim();
}

/** A key of at least `minLength` characters without whitespace, "" for none. Never echoed. */
export function parseSecretKey(raw: string, minLength: number): string | null {
  if (raw === '') return null;
  if (/\s/.test(raw)) throw new Error('expected no whitespace in the key');
  if (raw.length < minLength) throw new Error(`expected at least ${minLength} characters`);
  return raw;
}
