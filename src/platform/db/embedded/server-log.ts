/**
 * The embedded PostgreSQL's stderr, turned into log calls. The server is started with
 * `log_line_prefix='%e|'` (the SQLSTATE) and `log_min_messages=warning`, so every line names its
 * severity and error code. Errors a client caused (a unique-key clash the app expects, a
 * cancelled statement) are the app's to report and are dropped here; what is the server's own
 * trouble (disk full, a crash, corruption) reaches the app's logger at warn or error.
 */
export type ServerLogLevel = 'warn' | 'error';
export type ServerLogSink = (level: ServerLogLevel, message: string) => void;

// SQLSTATE classes of the server's own trouble: insufficient resources, operator intervention,
// system errors, configuration, internal errors (53, 57, 58, F0, XX).
const serverClasses = new Set(['53', '57', '58', 'F0', 'XX']);
// Shutting down on our own request, and being asked for a connection while starting up (we
// poll for readiness), are not trouble.
const expectedCodes = new Set(['57P01', '57P03']);

export function createServerLogParser(sink: ServerLogSink): (chunk: string) => void {
  let pending = '';
  // DETAIL/HINT/CONTEXT lines follow their message and share its fate.
  let last: ServerLogLevel | undefined;
  const line = (text: string) => {
    const match =
      /^([0-9A-Z]{5})?\|?(PANIC|FATAL|ERROR|WARNING|LOG|DETAIL|HINT|CONTEXT|STATEMENT|NOTICE|INFO|DEBUG\d?):\s+(.*)$/.exec(
        text,
      );
    if (!match) {
      if (text.trim()) sink('warn', text.trim());
      return;
    }
    const [, code = '', severity, message] = match;
    if (severity === 'DETAIL' || severity === 'HINT' || severity === 'CONTEXT') {
      if (last) sink(last, `${severity.toLowerCase()}: ${message}`);
      return;
    }
    last = levelOf(severity!, code);
    if (last) sink(last, code && code !== '00000' ? `${message} (${code})` : message!);
  };
  return (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) line(l);
  };
}

function levelOf(severity: string, code: string): ServerLogLevel | undefined {
  if (expectedCodes.has(code)) return undefined;
  const serverOwn = serverClasses.has(code.slice(0, 2));
  if (severity === 'PANIC') return 'error';
  if (severity === 'FATAL') return serverOwn ? 'error' : 'warn';
  if (severity === 'ERROR') return serverOwn ? 'error' : undefined;
  if (severity === 'WARNING') return 'warn';
  return undefined;
}
