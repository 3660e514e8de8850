import type { DestinationStream, LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';

/**
 * Paths pino blanks out wherever they appear in a log line. Anything that can carry a credential
 * belongs here: headers, and the body fields our APIs use for tokens, keys and secrets.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  '*.authorization',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.privateKey',
  '*.private_key',
  '*.clientSecret',
  '*.secret',
  '*.password',
  '*.apiKey',
  '*.key',
  '*.auth',
  '*.authConfig',
];

export function loggerOptions(level: LoggerOptions['level']): LoggerOptions {
  return {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    // Only the request line: query strings and bodies may hold secrets, and are not logged.
    serializers: {
      req(req: { method: string; url: string; id: string; ip?: string }) {
        return { method: req.method, url: stripQuery(req.url), requestId: req.id, ip: req.ip };
      },
      res(res: { statusCode: number }) {
        return { statusCode: res.statusCode };
      },
    },
  };
}

function stripQuery(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?[query]`;
}

/**
 * Where log lines go: human-readable on a terminal outside production (INTERCHANGE_LOG_FORMAT
 * unset) or when asked for `pretty`; one JSON object a line on stdout otherwise.
 */
export function logStreamOf(
  config: { logFormat: 'json' | 'pretty' | undefined; production: boolean },
  terminal = process.stdout.isTTY === true,
): DestinationStream {
  const pretty =
    config.logFormat === 'pretty' || (!config.logFormat && terminal && !config.production);
  if (!pretty) return process.stdout;
  // Synchronous: a worker-thread transport would lose the last lines of a crash.
  return pinoPretty({
    sync: true,
    colorize: terminal,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
  });
}
