import { createTransport } from 'nodemailer';
import { startSmtpCapture, type SmtpCapture } from './smtp.capture';

describe('startSmtpCapture', () => {
  let smtp: SmtpCapture;
  beforeEach(async () => {
    smtp = await startSmtpCapture();
  });
  afterEach(() => smtp.close());

  const transport = () =>
    createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true });

  it('records what nodemailer sends, decoded', async () => {
    const html = `<h1>Drift on model “churn” — PSI 0.31</h1><p>${'ü'.repeat(200)}</p>`;
    await transport().sendMail({
      from: 'Driftline <alerts@driftline.test>',
      to: 'oncall@example.com',
      cc: 'ml@example.com',
      bcc: 'audit@example.com',
      subject: 'Drift détectée: Δ PSI > 0.2 on “churn-v2” (firing)',
      text: 'Line one\nLigne deux: état ✓',
      html,
    });
    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail.from).toBe('alerts@driftline.test');
    expect(mail.to.sort()).toEqual(['audit@example.com', 'ml@example.com', 'oncall@example.com']);
    expect(mail.headers.from).toBe('Driftline <alerts@driftline.test>');
    expect(mail.headers.bcc).toBeUndefined();
    expect(mail.subject).toBe('Drift détectée: Δ PSI > 0.2 on “churn-v2” (firing)');
    expect(mail.text).toBe('Line one\nLigne deux: état ✓');
    expect(mail.html).toBe(html);
  });

  it('decodes a plain ASCII text-only message', async () => {
    await transport().sendMail({ from: 'a@x.test', to: 'b@x.test', subject: 'Resolved', text: 'all clear' });
    expect(smtp.messages[0]).toMatchObject({ subject: 'Resolved', text: 'all clear', html: '' });
  });

  it('rejects the next message with the scripted SMTP code, then accepts again', async () => {
    smtp.rejectNext(1, 451, 'Greylisted');
    const mail = { from: 'a@x.test', to: 'b@x.test', subject: 's', text: 't' };
    await expect(transport().sendMail(mail)).rejects.toMatchObject({ responseCode: 451 });
    expect(smtp.messages).toHaveLength(0);
    await transport().sendMail(mail);
    expect(smtp.messages).toHaveLength(1);
  });

  it('hands each accepted message to onMail', async () => {
    const seen: string[] = [];
    const withHook = await startSmtpCapture({
      onMail: (mail) => seen.push(`${mail.to.join()} ${mail.subject}`),
    });
    try {
      const hooked = createTransport({
        host: withHook.host,
        port: withHook.port,
        secure: false,
        ignoreTLS: true,
      });
      withHook.rejectNext(1, 550, 'No');
      const mail = { from: 'a@x.test', to: 'b@x.test', subject: 'Firing', text: 't' };
      await expect(hooked.sendMail(mail)).rejects.toMatchObject({ responseCode: 550 });
      await hooked.sendMail(mail);
      expect(seen).toEqual(['b@x.test Firing']);
    } finally {
      await withHook.close();
    }
  });
});
