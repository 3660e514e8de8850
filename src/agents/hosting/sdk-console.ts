/**
 * @adcp/sdk 6.11 and the MCP SDK print straight to the console, outside our logger: a
 * `[trace.tasks_get]` line on every tasks_get call, and a five-line tool-name warning for the
 * protocol's own `tasks/get` tool each time a server is built. Neither says anything an operator
 * can act on, so those exact lines are dropped; every other console line passes unchanged.
 */
const toolNameHeader = /^Tool name validation warning for "tasks\/get":/;
const toolNameContinuation =
  /^( {2}- |Tool registration will proceed|Consider updating the tool name|See SEP: Specify Format for Tool Names)/;

let installed = false;

export function quietSdkConsole(): void {
  if (installed) return;
  installed = true;
  const { log, warn } = console;
  let inToolNameWarning = false;
  console.log = (...args: unknown[]) => {
    if (args[0] === '[trace.tasks_get]') return;
    log.apply(console, args);
  };
  console.warn = (...args: unknown[]) => {
    const first = typeof args[0] === 'string' ? args[0] : '';
    if (toolNameHeader.test(first)) {
      inToolNameWarning = true;
      return;
    }
    if (inToolNameWarning && toolNameContinuation.test(first)) return;
    inToolNameWarning = false;
    warn.apply(console, args);
  };
}
