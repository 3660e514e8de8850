import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The DATA as sent, dot-stuffing undone. */
  data: string;
  /** The AUTH PLAIN credentials, when the client sent some. */
  auth: { user: string; pass: string } | null;
}

/**
 * A small SMTP server on loopback (RFC 5321's subset a mail client needs: EHLO/HELO, AUTH PLAIN,
 * MAIL, RCPT, DATA, RSET, NOOP, QUIT), recording every mail it accepts. `failNext` makes the
 * next DATA answer a temporary failure (451), to test retries. No STARTTLS: it is not offered.
 * `wire` is every byte clients sent, as they arrived, to check what reached the socket.
 */
export async function startSmtpServer() {
  const mails: ReceivedMail[] = [];
  const wire: Buffer[] = [];
  let failures = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = '';
    let inData = false;
    let dataLines: string[] = [];
    let mail: ReceivedMail = { from: '', to: [], data: '', auth: null };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 fake-smtp ready');
    socket.on('data', (chunk: Buffer) => {
      wire.push(chunk);
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            if (failures > 0) {
              failures -= 1;
              reply('451 try again later');
            } else {
              mails.push({ ...mail, data: dataLines.join('\r\n') });
              reply('250 queued');
            }
            mail = { from: '', to: [], data: '', auth: mail.auth };
            dataLines = [];
          } else dataLines.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') reply('250-fake-smtp\r\n250-AUTH PLAIN\r\n250 8BITMIME');
        else if (verb === 'HELO') reply('250 fake-smtp');
        else if (verb === 'AUTH') {
          const token = line.split(' ')[2] ?? '';
          const [, user = '', pass = ''] = Buffer.from(token, 'base64').toString().split('\0');
          mail.auth = { user, pass };
          reply('235 ok');
        } else if (verb === 'MAIL') {
          mail.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          reply('250 ok');
        } else if (verb === 'RCPT') {
          mail.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          reply('250 ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end with .');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else if (verb === 'RSET' || verb === 'NOOP') reply('250 ok');
        else reply('502 not implemented');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    /** Every byte received so far, from every connection, in arrival order. */
    wire: () => Buffer.concat(wire).toString('utf8'),
    failNext(count = 1) {
      failures = count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
