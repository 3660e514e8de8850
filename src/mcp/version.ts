import { readFileSync } from 'node:fs';

/** The server's release, as package.json states it (src/mcp and dist/mcp sit two levels down). */
export const serverVersion: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
