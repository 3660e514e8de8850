import type { AdcpLogger } from '@adcp/sdk/server';
import type { FastifyBaseLogger } from 'fastify';

/**
 * @adcp/sdk's logger interface over a Fastify (pino) logger. The SDK's info lines (a server built,
 * its tool list) are its own lifecycle, not the operator's: they go at debug.
 */
export function adcpLoggerOf(log: FastifyBaseLogger): AdcpLogger {
  return {
    debug: (message, data) => log.debug(data ?? {}, message),
    info: (message, data) => log.debug(data ?? {}, message),
    warn: (message, data) => log.warn(data ?? {}, message),
    error: (message, data) => log.error(data ?? {}, message),
  };
}
