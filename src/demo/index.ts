import type { AppExtension } from '../app.js';
import type { ServeExtras } from '../server.js';
import { seedDemo } from './seed.js';
import { registerDemoAgent } from './seller/index.js';

/**
 * The demo, as the entry point plugs it in (src/main.ts): the built-in demo seller agent at
 * /adcp/demo-seller, and the workspace seeded on an empty embedded database whose storefront
 * draws on it. Production code never imports the demo; the demo builds on production code.
 */
export const demoAgentBasePath = '/adcp/demo-seller';

export const demoSellerAgent: AppExtension = {
  register: (app, { publicUrl }) =>
    registerDemoAgent(app, { basePath: demoAgentBasePath, publicUrl }),
};

export const demo: ServeExtras = {
  extensions: [demoSellerAgent],
  seed: (services, baseUrl) => seedDemo(services, baseUrl, `${baseUrl}${demoAgentBasePath}/mcp`),
};
