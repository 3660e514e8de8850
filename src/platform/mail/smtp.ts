import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';

/** The operator's SMTP server (INTERCHANGE_SMTP_URL / INTERCHANGE_SMTP_FROM). */
export interface SmtpSettings {
  /** smtp://[user:pass@]host[:port] (STARTTLS when offered) or smtps:// (TLS from the start). */
  url: string;
  from: string;
  timeoutMs?: number;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Stable per event, so a receiver (or a person) can tell a resend from a new mail. */
  messageId: string;
}

/** The server refused the mail; `permanent` for a 5xx answer (retrying would be refused again). */
export class SmtpError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'SmtpError';
  }
}

/**
 * C0 controls but TAB, and DEL: tenant text (a reviewer's notes, a source's name or error) never
 * carries them onto the wire. CR and LF among them: a bare one is what SMTP smuggling needs.
 */
// eslint-disable-next-line no-control-regex -- control characters are what is removed
const controls = /[\x00-\x08\x0b-\x1f\x7f]/g;
/** A header value on one line: every control (CR and LF included) becomes a space. */
const headerSafe = (value: string) =>
  value
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\x00-\x1f\x7f]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

/**
 * Sends one plain-text mail over SMTP (RFC 5321): EHLO, STARTTLS when the server offers it on
 * smtp://, AUTH PLAIN when the URL carries credentials (never over an unencrypted connection to
 * another host), MAIL, RCPT, DATA, QUIT. The operator's own server is the only one ever asked,
 * so this does not go through the outbound guard meant for addresses users name.
 */
export async function sendMail(settings: SmtpSettings, message: MailMessage): Promise<void> {
  const url = new URL(settings.url);
  const implicitTls = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (implicitTls ? 465 : 587));
  const timeoutMs = settings.timeoutMs ?? 15_000;
  let socket: Socket | TLSSocket = implicitTls
    ? connectTls({ host, port, servername: isIP(host) ? undefined : host })
    : connectTcp({ host, port });
  let encrypted = implicitTls;
  let conversation = converse(socket, timeoutMs);
  try {
    await conversation.expect(220);
    let features = await conversation.command('EHLO interchange', 250);
    if (!encrypted && /\bSTARTTLS\b/i.test(features)) {
      await conversation.command('STARTTLS', 220);
      conversation.detach();
      socket = connectTls({ socket, servername: isIP(host) ? undefined : host });
      encrypted = true;
      conversation = converse(socket, timeoutMs);
      features = await conversation.command('EHLO interchange', 250);
    }
    if (url.username) {
      if (!encrypted && !isLoopback(host)) {
        throw new SmtpError('refusing to send SMTP credentials without TLS', null, true);
      }
      const user = decodeURIComponent(url.username);
      const pass = decodeURIComponent(url.password);
      const token = Buffer.from(`\0${user}\0${pass}`).toString('base64');
      await conversation.command(`AUTH PLAIN ${token}`, 235);
    }
    await conversation.command(`MAIL FROM:<${headerSafe(settings.from)}>`, 250);
    await conversation.command(`RCPT TO:<${headerSafe(message.to)}>`, [250, 251]);
    await conversation.command('DATA', 354);
    await conversation.command(`${messageText(settings.from, message)}\r\n.`, 250);
    await conversation.command('QUIT', 221).catch(() => undefined);
  } finally {
    socket.destroy();
  }
}

function messageText(from: string, message: MailMessage): string {
  const headers = [
    `From: ${headerSafe(from)}`,
    `To: ${headerSafe(message.to)}`,
    `Subject: ${headerSafe(message.subject)}`,
    `Message-ID: <${headerSafe(message.messageId)}>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  // Every line ending (CRLF, a bare CR, a bare LF) becomes CRLF and no other control is left
  // (RFC 5321 2.3.8: no bare CR or LF in DATA), then dot-stuffing (4.5.2): a line starting with
  // '.' gets another. So no text a tenant wrote can end the message early.
  const body = message.text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(controls, ''))
    .map((line) => (line.startsWith('.') ? `.${line}` : line))
    .join('\r\n');
  return `${headers.join('\r\n')}\r\n\r\n${body}`;
}

/** Reads the server's (possibly multi-line) replies in order and writes commands. */
function converse(socket: Socket | TLSSocket, timeoutMs: number) {
  let buffer = '';
  const replies: string[][] = [];
  let waiting: ((reply: string[]) => void) | undefined;
  let failed: Error | undefined;
  let fail: ((error: Error) => void) | undefined;
  let current: string[] = [];
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 2);
      current.push(line);
      // "250-…" continues a reply; "250 …" (or a bare "250") ends it.
      if (!/^\d{3}( |$)/.test(line)) continue;
      const reply = current;
      current = [];
      if (waiting) {
        const next = waiting;
        waiting = undefined;
        next(reply);
      } else replies.push(reply);
    }
  };
  const onError = (error: Error) => {
    failed = error;
    fail?.(error);
  };
  const onClose = () => onError(new SmtpError('SMTP server closed the connection', null, false));
  socket.on('data', onData);
  socket.on('error', onError);
  socket.on('close', onClose);
  socket.setTimeout(timeoutMs, () =>
    socket.destroy(new SmtpError('SMTP server did not answer in time', null, false)),
  );

  const read = () =>
    new Promise<string[]>((resolve, reject) => {
      const ready = replies.shift();
      if (ready !== undefined) return resolve(ready);
      if (failed) return reject(failed);
      waiting = resolve;
      fail = reject;
    });
  const expect = async (codes: number | number[]) => {
    const reply = await read();
    const last = reply[reply.length - 1] ?? '';
    const code = Number(last.slice(0, 3));
    const wanted = Array.isArray(codes) ? codes : [codes];
    if (!wanted.includes(code)) {
      throw new SmtpError(`SMTP server answered ${last}`, code, code >= 500);
    }
    return reply.join('\n');
  };
  return {
    expect,
    command: async (line: string, codes: number | number[]) => {
      socket.write(`${line}\r\n`);
      return expect(codes);
    },
    /** Stops reading this socket (it is being wrapped in TLS). */
    detach: () => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.setTimeout(0);
    },
  };
}
