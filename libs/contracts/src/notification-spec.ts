import { compile } from './event.validator';
import { labelMatcherSchema, type LabelMatcher } from './label-matcher';
import { isoTimestamp, modelIdentifier } from './schema.parts';

export const CHANNEL_TYPES = ['slack', 'email', 'webhook'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/**
 * Where notifications go, as registered through POST /v1/channels. `slack.token` and
 * `webhook.secret` are write-only: the API stores them and never returns them; on replace, leaving
 * one out keeps the stored one and `null` removes it. Exactly the settings object of `type` is given.
 */
export interface ChannelSpec {
  channelId: string;
  type: ChannelType;
  /** A Slack channel name or id; the token defaults to SLACK_TOKEN. */
  slack?: { channel: string; token?: string | null };
  email?: { to: string[] };
  /** Signed with `secret` (X-Driftline-Signature) when one is set. */
  webhook?: { url: string; secret?: string | null };
}

/** The alert fields routes and silences match on, besides the monitor's own labels. */
export const ALERT_MATCHER_LABELS = ['modelId', 'monitorId', 'severity', 'metric', 'feature'] as const;

/** Which alerts go to which channels, how they are grouped and how often they are told. */
export interface RouteSpec {
  routeId: string;
  /** Routes are tried by ascending order (then routeId); the first that matches wins unless `continue`. */
  order: number;
  matchers?: LabelMatcher[];
  channels: string[];
  /** Labels whose values split a route's alerts into groups; default ["modelId"]. */
  groupBy?: string[];
  /** Durations as parseDuration reads them ("30s", "5m", "4h"); left out: the notifier's defaults. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  /** Keep trying later routes after this one matched. */
  continue?: boolean;
}

export const DEFAULT_GROUP_BY: readonly string[] = ['modelId'];

/** Mutes the alerts that satisfy every matcher between startsAt (default: now) and endsAt. */
export interface SilenceSpec {
  matchers: LabelMatcher[];
  startsAt?: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

const labelName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 100 } as const;
const duration = { type: 'string', minLength: 1, maxLength: 40 } as const;
const httpUrl = { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000 } as const;
const matchers = { type: 'array', maxItems: 20, items: labelMatcherSchema() } as const;

export const channelSpecSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://driftline.dev/schemas/channel-spec.v1.json',
  title: 'ChannelSpec',
  type: 'object',
  additionalProperties: false,
  required: ['channelId', 'type'],
  properties: {
    channelId: modelIdentifier,
    type: { enum: CHANNEL_TYPES },
    slack: {
      type: 'object',
      additionalProperties: false,
      required: ['channel'],
      properties: {
        channel: { type: 'string', minLength: 1, maxLength: 200 },
        token: { type: ['string', 'null'], minLength: 1, maxLength: 500 },
      },
    },
    email: {
      type: 'object',
      additionalProperties: false,
      required: ['to'],
      properties: {
        to: {
          type: 'array',
          minItems: 1,
          maxItems: 50,
          uniqueItems: true,
          items: { type: 'string', pattern: '^[^\\s@<>,;]+@[^\\s@<>,;]+$', maxLength: 320 },
        },
      },
    },
    webhook: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url: httpUrl,
        secret: { type: ['string', 'null'], minLength: 16, maxLength: 1000 },
      },
    },
  },
} as const;

export const routeSpecSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://driftline.dev/schemas/route-spec.v1.json',
  title: 'RouteSpec',
  type: 'object',
  additionalProperties: false,
  required: ['routeId', 'order', 'channels'],
  properties: {
    routeId: modelIdentifier,
    order: { type: 'integer', minimum: -1_000_000, maximum: 1_000_000 },
    matchers,
    channels: { type: 'array', minItems: 1, maxItems: 20, uniqueItems: true, items: modelIdentifier },
    groupBy: { type: 'array', maxItems: 20, uniqueItems: true, items: labelName },
    groupWait: duration,
    groupInterval: duration,
    repeatInterval: duration,
    continue: { type: 'boolean' },
  },
} as const;

export const silenceSpecSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://driftline.dev/schemas/silence-spec.v1.json',
  title: 'SilenceSpec',
  type: 'object',
  additionalProperties: false,
  required: ['matchers', 'endsAt', 'createdBy', 'comment'],
  properties: {
    matchers: { ...matchers, minItems: 1 },
    startsAt: isoTimestamp,
    endsAt: isoTimestamp,
    createdBy: { type: 'string', minLength: 1, maxLength: 200 },
    comment: { type: 'string', minLength: 1, maxLength: 2000 },
  },
} as const;

/** Shape checks, every reason with its path; the API adds what a schema cannot say. */
export const validateChannelSpec = compile<ChannelSpec>(channelSpecSchema);
export const validateRouteSpec = compile<RouteSpec>(routeSpecSchema);
export const validateSilenceSpec = compile<SilenceSpec>(silenceSpecSchema);
