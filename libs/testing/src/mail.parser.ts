/**
 * Just enough RFC 5322 / MIME decoding to read what nodemailer sends: folded headers, RFC 2047
 * encoded words, nested multiparts, quoted-printable and base64 bodies, and charsets.
 */
export interface ParsedMail {
  /** Lower-cased header names; a repeated header keeps its last value. */
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string;
}

interface Part {
  headers: Record<string, string>;
  /** Raw bytes as a latin1 string: one char per byte. */
  body: string;
}

export function parseMail(raw: Buffer): ParsedMail {
  const root = splitPart(raw.toString('latin1'));
  const found = { text: '', html: '' };
  collectBodies(root, found);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(root.headers)) headers[name] = decodeEncodedWords(value);
  return { headers, subject: headers.subject ?? '', text: found.text, html: found.html };
}

function splitPart(source: string): Part {
  const match = /\r?\n\r?\n/.exec(source);
  const head = match ? source.slice(0, match.index) : source;
  const body = match ? source.slice(match.index + match[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function collectBodies(part: Part, found: { text: string; html: string }): void {
  const { type, params } = parseContentType(part.headers['content-type'] ?? 'text/plain');
  if (type.startsWith('multipart/') && params.boundary) {
    for (const child of splitMultipart(part.body, params.boundary)) collectBodies(splitPart(child), found);
    return;
  }
  const disposition = (part.headers['content-disposition'] ?? '').toLowerCase();
  if (disposition.startsWith('attachment')) return;
  if (type === 'text/plain' && !found.text) found.text = decodeBody(part, params.charset);
  if (type === 'text/html' && !found.html) found.html = decodeBody(part, params.charset);
}

function parseContentType(value: string): { type: string; params: Record<string, string> } {
  const [type, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq > 0)
      params[param.slice(0, eq).trim().toLowerCase()] = param
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
  }
  return { type: type.trim().toLowerCase(), params };
}

function splitMultipart(body: string, boundary: string): string[] {
  const parts: string[] = [];
  const delimiter = `--${boundary}`;
  const lines = body.split(/\r?\n/);
  let current: string[] | undefined;
  for (const line of lines) {
    if (line.startsWith(delimiter)) {
      if (current) parts.push(current.join('\r\n'));
      current = line.startsWith(`${delimiter}--`) ? undefined : [];
      if (!current) break;
    } else {
      current?.push(line);
    }
  }
  return parts;
}

function decodeBody(part: Part, charset = 'utf-8'): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(part.body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  else if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(part.body);
  else bytes = Buffer.from(part.body, 'latin1');
  return decodeCharset(bytes, charset).replace(/\r\n/g, '\n').replace(/\n$/, '');
}

function decodeQuotedPrintable(body: string): Buffer {
  const unfolded = body.replace(/[ \t]+(?=\r?\n)/g, '').replace(/=\r?\n/g, '');
  return Buffer.from(
    unfolded.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.toLowerCase()).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

/** RFC 2047: `=?charset?B|Q?data?=`, with the whitespace between adjacent encoded words dropped. */
export function decodeEncodedWords(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(word, (_, charset: string, kind: string, data: string) => {
      const bytes =
        kind.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64')
          : Buffer.from(
              data
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            );
      return decodeCharset(bytes, charset.replace(/\*.*$/, ''));
    });
}
