import { AlertFactory } from '../../../test/factories/alert.factory';
import {
  evidenceUrl,
  notificationTitle,
  renderEmail,
  renderSlack,
  renderWebhook,
  type NotificationContent,
} from './notification.renderer';

const options = { publicUrl: 'https://driftline.example.com', mailFrom: 'Driftline <alerts@example.com>' };
const temp = AlertFactory.create({ alertId: 'a1', severity: 'critical', summary: 'temp <drifted> & more' });
const hum = AlertFactory.create({
  alertId: 'a2',
  feature: 'hum',
  metric: 'drift_p_value',
  value: 0.0001234,
  threshold: 0.05,
  topFeatures: [{ feature: 'hum', method: 'ks', statistic: 0.3, pValue: 0.0001234, threshold: 0.05 }],
});
const content = (overrides: Partial<NotificationContent> = {}): NotificationContent => ({
  notificationId: '7f1d2f7e-52cd-4a5e-9a57-0c5b1f0c7f11',
  kind: 'firing',
  routeId: 'oncall',
  groupKey: '[["modelId","bikes"]]',
  groupLabels: { modelId: 'bikes' },
  firing: [temp, hum],
  resolved: [],
  createdAt: Date.parse('2024-07-01T01:01:00Z'),
  ...overrides,
});

describe('notification titles', () => {
  it.each([
    [content(), '[FIRING:2] bikes'],
    [content({ firing: [hum], resolved: [temp] }), '[FIRING:1, RESOLVED:1] bikes'],
    [content({ kind: 'resolved', firing: [], resolved: [temp, hum] }), 'Resolved: bikes'],
    [content({ groupLabels: {} }), '[FIRING:2] Driftline alerts'],
  ])('%#: %s', (input, title) => expect(notificationTitle(input)).toBe(title));
});

describe('evidenceUrl', () => {
  it('keeps the path of the alert link below PUBLIC_URL', () => {
    expect(evidenceUrl('http://localhost:8080/v1/alerts/a1?x=1', 'https://d.example.com/driftline')).toBe(
      'https://d.example.com/driftline/v1/alerts/a1?x=1',
    );
  });
});

describe('renderSlack', () => {
  const payload = renderSlack(content(), '#ml-alerts', options);

  it('is Block Kit: a header, one section per alert with its evidence, the top drifted features', () => {
    expect(payload.channel).toBe('#ml-alerts');
    expect(payload.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '[FIRING:2] bikes' },
    });
    const texts = payload.blocks.map((b) => JSON.stringify(b));
    expect(texts[1]).toContain('temp &lt;drifted&gt; &amp; more');
    expect(texts[1]).toContain('*Model* bikes');
    expect(texts[1]).toContain('*drift_statistic (temp)* = 0.42 (threshold 0.1)');
    expect(texts[1]).toContain('2024-07-01T00:00:00.000Z – 2024-07-01T01:00:00.000Z');
    expect(texts[1]).toContain(`<https://driftline.example.com/v1/alerts/a1|View the evidence in Driftline>`);
    expect(texts[2]).toContain('*drift_p_value (hum)* = 0.0001234 (threshold 0.05)');
    expect(texts.at(-1)).toContain('Top drifted features');
    expect(texts.at(-1)).toContain('hum: ks 0.3 (p 0.0001234), threshold 0.05');
  });

  it('carries the notification id as message metadata and a text fallback', () => {
    expect(payload.metadata).toEqual({
      event_type: 'driftline_notification',
      event_payload: { notification_id: content().notificationId, route_id: 'oncall', kind: 'firing' },
    });
    expect(payload.text.split('\n')[0]).toBe('[FIRING:2] bikes');
  });
});

describe('renderEmail', () => {
  it('has text and HTML parts, escaped, and a Message-ID from the notification id', () => {
    const mail = renderEmail(content(), ['ml@example.com'], options);
    expect(mail).toMatchObject({
      from: 'Driftline <alerts@example.com>',
      to: ['ml@example.com'],
      subject: '[FIRING:2] bikes',
      messageId: '<7f1d2f7e-52cd-4a5e-9a57-0c5b1f0c7f11@example.com>',
    });
    expect(mail.text).toContain('drift_statistic (temp) = 0.42 (threshold 0.1)');
    expect(mail.text).toContain('https://driftline.example.com/v1/alerts/a2');
    expect(mail.html).toContain('temp &lt;drifted&gt; &amp; more');
    expect(mail.html).not.toContain('<drifted>');
  });
});

describe('renderWebhook', () => {
  it('is one JSON document with every alert, linked below PUBLIC_URL', () => {
    const body = JSON.parse(
      renderWebhook(content({ firing: [hum], resolved: [temp] }), 'https://x', options).body,
    );
    expect(body).toMatchObject({
      version: '1',
      notificationId: content().notificationId,
      status: 'firing',
      title: '[FIRING:1, RESOLVED:1] bikes',
      groupLabels: { modelId: 'bikes' },
      createdAt: '2024-07-01T01:01:00.000Z',
    });
    expect(body.alerts.map((a: { alertId: string; url: string }) => [a.alertId, a.url])).toEqual([
      ['a2', 'https://driftline.example.com/v1/alerts/a2'],
      ['a1', 'https://driftline.example.com/v1/alerts/a1'],
    ]);
  });
});
