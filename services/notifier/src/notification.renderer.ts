import type { AlertEvent, AlertFeatureEvidence } from '@driftline/contracts';
import type { ChannelSettings } from '@driftline/db';

/** What one notification tells, before it is rendered for a channel. */
export interface NotificationContent {
  notificationId: string;
  kind: 'firing' | 'resolved';
  routeId: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  firing: readonly AlertEvent[];
  resolved: readonly AlertEvent[];
  /** Epoch ms. */
  createdAt: number;
}

export interface SlackPayload {
  type: 'slack';
  channel: string;
  text: string;
  blocks: Record<string, unknown>[];
  /** Slack message metadata: the notification id, for a receiver (or a human) to drop a resend. */
  metadata: { event_type: string; event_payload: Record<string, string> };
}

export interface EmailPayload {
  type: 'email';
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The same on every attempt, so a mail client shows a resend once. */
  messageId: string;
}

export interface WebhookPayload {
  type: 'webhook';
  url: string;
  /** The exact bytes every attempt sends and signs. */
  body: string;
}

export type NotificationPayload = SlackPayload | EmailPayload | WebhookPayload;

export interface RenderOptions {
  /** Links point below it (PUBLIC_URL). */
  publicUrl: string;
  /** The sender of emails (MAIL_FROM). */
  mailFrom: string;
}

const MAX_LISTED = 10;

/** AM-style: `[FIRING:2] bikes`, `[FIRING:1, RESOLVED:1] bikes`, `Resolved: bikes`. */
export function notificationTitle(
  content: Pick<NotificationContent, 'kind' | 'firing' | 'resolved' | 'groupLabels'>,
): string {
  const values = Object.values(content.groupLabels).filter((v) => v !== '');
  const subject = values.length > 0 ? values.join(' ') : 'Driftline alerts';
  if (content.kind === 'resolved') return `Resolved: ${subject}`;
  const counts =
    content.resolved.length > 0
      ? `FIRING:${content.firing.length}, RESOLVED:${content.resolved.length}`
      : `FIRING:${content.firing.length}`;
  return `[${counts}] ${subject}`;
}

/** The alert's own link (its path below the api) moved below PUBLIC_URL. */
export function evidenceUrl(alertUrl: string, publicUrl: string): string {
  try {
    const url = new URL(alertUrl);
    return `${publicUrl}${url.pathname}${url.search}${url.hash}`;
  } catch {
    return publicUrl;
  }
}

const formatNumber = (value: number | null) =>
  value === null
    ? 'n/a'
    : Number.isInteger(value)
      ? String(value)
      : value.toPrecision(4).replace(/\.?0+$/, '');

const metricOf = (alert: AlertEvent) =>
  alert.feature === null ? alert.metric : `${alert.metric} (${alert.feature})`;

const windowOf = (alert: AlertEvent) => `${alert.windowStart} – ${alert.windowEnd}`;

const featureLine = (f: AlertFeatureEvidence) =>
  `${f.feature}: ${f.method} ${formatNumber(f.statistic)}${f.pValue === null ? '' : ` (p ${formatNumber(f.pValue)})`}, threshold ${formatNumber(f.threshold)}`;

/** The window's most drifted features over the alerts listed (each feature once). */
function topFeatures(alerts: readonly AlertEvent[]): AlertFeatureEvidence[] {
  const seen = new Map<string, AlertFeatureEvidence>();
  for (const alert of alerts)
    for (const f of alert.topFeatures ?? []) if (!seen.has(f.feature)) seen.set(f.feature, f);
  return [...seen.values()].slice(0, 5);
}

const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const htmlEscape = (text: string) => slackEscape(text).replace(/"/g, '&quot;');

function plainLines(content: NotificationContent, options: RenderOptions): string[] {
  const lines: string[] = [];
  const describe = (alert: AlertEvent) => [
    `- [${alert.severity}] ${alert.summary}`,
    `  model ${alert.modelId}, monitor ${alert.monitorId}`,
    `  ${metricOf(alert)} = ${formatNumber(alert.value)} (threshold ${formatNumber(alert.threshold)})`,
    `  window ${windowOf(alert)}`,
    `  ${evidenceUrl(alert.url, options.publicUrl)}`,
  ];
  if (content.firing.length > 0) {
    lines.push('Firing:');
    for (const alert of content.firing.slice(0, MAX_LISTED)) lines.push(...describe(alert));
    if (content.firing.length > MAX_LISTED) lines.push(`  … and ${content.firing.length - MAX_LISTED} more`);
  }
  if (content.resolved.length > 0) {
    lines.push('Resolved:');
    for (const alert of content.resolved.slice(0, MAX_LISTED)) lines.push(...describe(alert));
    if (content.resolved.length > MAX_LISTED)
      lines.push(`  … and ${content.resolved.length - MAX_LISTED} more`);
  }
  const features = topFeatures(content.firing.length > 0 ? content.firing : content.resolved);
  if (features.length > 0) lines.push('Top drifted features:', ...features.map((f) => `- ${featureLine(f)}`));
  return lines;
}

function slackAlertBlock(
  alert: AlertEvent,
  status: 'firing' | 'resolved',
  options: RenderOptions,
): Record<string, unknown> {
  const icon =
    status === 'resolved'
      ? ':large_green_circle:'
      : alert.severity === 'critical'
        ? ':red_circle:'
        : ':large_orange_circle:';
  const text = [
    `${icon} *${slackEscape(alert.severity)}* · ${slackEscape(alert.summary)}`,
    `*Model* ${slackEscape(alert.modelId)} · *Monitor* ${slackEscape(alert.monitorId)}`,
    `*${slackEscape(metricOf(alert))}* = ${formatNumber(alert.value)} (threshold ${formatNumber(alert.threshold)})`,
    `*Window* ${slackEscape(windowOf(alert))}`,
    `<${evidenceUrl(alert.url, options.publicUrl)}|View the evidence in Driftline>`,
  ].join('\n');
  return { type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } };
}

export function renderSlack(
  content: NotificationContent,
  channel: string,
  options: RenderOptions,
): SlackPayload {
  const title = notificationTitle(content);
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
  ];
  for (const alert of content.firing.slice(0, MAX_LISTED))
    blocks.push(slackAlertBlock(alert, 'firing', options));
  if (content.resolved.length > 0) {
    if (content.firing.length > 0) blocks.push({ type: 'divider' });
    for (const alert of content.resolved.slice(0, MAX_LISTED))
      blocks.push(slackAlertBlock(alert, 'resolved', options));
  }
  const hidden =
    Math.max(0, content.firing.length - MAX_LISTED) + Math.max(0, content.resolved.length - MAX_LISTED);
  if (hidden > 0)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `… and ${hidden} more` }] });
  const features = topFeatures(content.firing.length > 0 ? content.firing : content.resolved);
  if (features.length > 0) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: ['*Top drifted features*', ...features.map((f) => `• ${slackEscape(featureLine(f))}`)].join(
          '\n',
        ),
      },
    });
  }
  return {
    type: 'slack',
    channel,
    text: [title, ...plainLines(content, options)].join('\n').slice(0, 3000),
    blocks,
    metadata: {
      event_type: 'driftline_notification',
      event_payload: {
        notification_id: content.notificationId,
        route_id: content.routeId,
        kind: content.kind,
      },
    },
  };
}

/** The domain of an address such as `Driftline <alerts@example.com>`, for Message-IDs. */
function mailDomain(from: string): string {
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'driftline.local';
}

export function renderEmail(
  content: NotificationContent,
  to: readonly string[],
  options: RenderOptions,
): EmailPayload {
  const title = notificationTitle(content);
  const text = [title, '', ...plainLines(content, options)].join('\n');
  const rows = (alerts: readonly AlertEvent[], status: string) =>
    alerts
      .slice(0, MAX_LISTED)
      .map(
        (a) =>
          `<tr><td>${htmlEscape(status)}</td><td>${htmlEscape(a.severity)}</td><td>${htmlEscape(a.modelId)}</td>` +
          `<td>${htmlEscape(metricOf(a))}</td><td>${formatNumber(a.value)}</td><td>${formatNumber(a.threshold)}</td>` +
          `<td>${htmlEscape(windowOf(a))}</td><td><a href="${htmlEscape(evidenceUrl(a.url, options.publicUrl))}">evidence</a></td></tr>` +
          `<tr><td colspan="8">${htmlEscape(a.summary)}</td></tr>`,
      )
      .join('');
  const features = topFeatures(content.firing.length > 0 ? content.firing : content.resolved);
  const html = [
    `<h2>${htmlEscape(title)}</h2>`,
    '<table border="1" cellpadding="4" cellspacing="0">',
    '<tr><th>status</th><th>severity</th><th>model</th><th>metric</th><th>value</th><th>threshold</th><th>window</th><th>link</th></tr>',
    rows(content.firing, 'firing'),
    rows(content.resolved, 'resolved'),
    '</table>',
    features.length > 0
      ? `<h3>Top drifted features</h3><ul>${features.map((f) => `<li>${htmlEscape(featureLine(f))}</li>`).join('')}</ul>`
      : '',
  ].join('\n');
  return {
    type: 'email',
    from: options.mailFrom,
    to: [...to],
    subject: title,
    text,
    html,
    messageId: `<${content.notificationId}@${mailDomain(options.mailFrom)}>`,
  };
}

export function renderWebhook(
  content: NotificationContent,
  url: string,
  options: RenderOptions,
): WebhookPayload {
  const link = (alert: AlertEvent) => ({ ...alert, url: evidenceUrl(alert.url, options.publicUrl) });
  const body = {
    version: '1',
    notificationId: content.notificationId,
    status: content.kind,
    title: notificationTitle(content),
    routeId: content.routeId,
    groupKey: content.groupKey,
    groupLabels: content.groupLabels,
    alerts: [...content.firing.map(link), ...content.resolved.map(link)],
    createdAt: new Date(content.createdAt).toISOString(),
  };
  return { type: 'webhook', url, body: JSON.stringify(body) };
}

/** The payload of the notification for a channel with these settings. */
export function renderFor(
  content: NotificationContent,
  settings: ChannelSettings,
  options: RenderOptions,
): NotificationPayload {
  switch (settings.type) {
    case 'slack':
      return renderSlack(content, settings.channel, options);
    case 'email':
      return renderEmail(content, settings.to, options);
    case 'webhook':
      return renderWebhook(content, settings.url, options);
  }
}
