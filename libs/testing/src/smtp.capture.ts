import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { parseMail } from './mail.parser';

export interface CapturedMail {
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Envelope recipients (RCPT TO), so Cc and Bcc are included. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Decoded headers, lower-cased names (`from` holds the display form, e.g. `Driftline <a@b>`). */
  headers: Record<string, string>;
  raw: Buffer;
}

export interface SmtpCapture {
  host: string;
  port: number;
  messages: CapturedMail[];
  /** Answers the next `count` messages with a transient (4xx) or permanent (5xx) SMTP error. */
  rejectNext(count: number, responseCode?: number, message?: string): void;
  close(): Promise<void>;
}

export interface SmtpCaptureOptions {
  /** Called with each message accepted, once it is recorded. */
  onMail?: (mail: CapturedMail) => void;
}

/** A real SMTP server (smtp-server) on a free port of 127.0.0.1, no TLS, any or no AUTH. */
export async function startSmtpCapture(options: SmtpCaptureOptions = {}): Promise<SmtpCapture> {
  const messages: CapturedMail[] = [];
  const rejections: { responseCode: number; message: string }[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'test' }),
    onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const rejection = rejections.shift();
        if (rejection) {
          callback(Object.assign(new Error(rejection.message), { responseCode: rejection.responseCode }));
          return;
        }
        const raw = Buffer.concat(chunks);
        const parsed = parseMail(raw);
        const mailFrom = session.envelope.mailFrom;
        const mail: CapturedMail = {
          from: mailFrom ? mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject,
          text: parsed.text,
          html: parsed.html,
          headers: parsed.headers,
          raw,
        };
        messages.push(mail);
        options.onMail?.(mail);
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('smtp capture has no TCP address');
  return {
    host: '127.0.0.1',
    port: address.port,
    messages,
    rejectNext: (count, responseCode = 451, message = 'Try again later') => {
      for (let i = 0; i < count; i++) rejections.push({ responseCode, message });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
