export { registerMcpServers, mcpPaths } from './host.js';
export { serverVersion } from './version.js';
