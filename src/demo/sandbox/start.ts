import { ConfigError, sandboxInProduction, sandboxVariable } from '../../config.js';
import { startFakeFreeWheel, type FakeFreeWheel } from '../../sandbox/fakes/freewheel/server.js';
import { startFakeGam, type FakeGam } from '../../sandbox/fakes/gam/server.js';
import type { FakeMeta } from '../../sandbox/fakes/meta/server.js';
import { startProviderFakes } from './providers.js';
import {
  startFakeSpringServe,
  type FakeSpringServe,
} from '../../sandbox/fakes/springserve/server.js';

/**
 * The sandbox (INTERCHANGE_SANDBOX=1): the project's fakes of Google Ad Manager, FreeWheel,
 * SpringServe and every wired provider (providers.ts), each speaking its provider's documented protocol on a loopback port of
 * its own, and the instance configured to call them instead of the real services. It exists so
 * a newcomer can connect every kind of source without credentials; it never runs in production.
 */
export interface Sandbox {
  gam: FakeGam;
  freewheel: FakeFreeWheel;
  springserve: FakeSpringServe;
  meta: FakeMeta;
  /** The fake AudioStack's base URL (buyers' audio creatives). */
  audiostackUrl: string;
  /** The configuration variables that point the instance at the fakes. */
  env: Record<string, string>;
  /** Exactly the fakes' origins: the only local addresses the outbound guard lets through. */
  origins: string[];
  close(): Promise<void>;
}

/**
 * Starts the fakes on 127.0.0.1. Refused under NODE_ENV=production: a production instance must
 * never sell through stand-ins or let loopback past its outbound guard.
 */
export async function startSandbox(env: NodeJS.ProcessEnv): Promise<Sandbox> {
  if (env['NODE_ENV'] === 'production') {
    throw new ConfigError(sandboxVariable, sandboxInProduction);
  }
  const [gam, freewheel, springserve, providers] = await Promise.all([
    startFakeGam(),
    startFakeFreeWheel({ siteSections: 6 }),
    startFakeSpringServe({ supplyTags: 6 }),
    startProviderFakes(),
  ]);
  return {
    gam,
    freewheel,
    springserve,
    meta: providers.meta,
    audiostackUrl: providers.audiostackUrl,
    env: {
      INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
      INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
      INTERCHANGE_FREEWHEEL_URL: freewheel.url,
      INTERCHANGE_FREEWHEEL_STAGING_URL: freewheel.url,
      INTERCHANGE_SPRINGSERVE_URL: springserve.url,
      ...providers.env,
    },
    origins: [gam.url, freewheel.url, springserve.url, ...providers.origins],
    close: async () => {
      await Promise.all([gam.close(), freewheel.close(), springserve.close(), providers.close()]);
    },
  };
}
