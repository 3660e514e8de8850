import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { currentRequestId } from './context.js';
import { outboundCalls, outboundDuration } from './metrics.js';
import { injectTraceHeaders, tracer } from './tracing.js';

/**
 * Observes one outbound exchange: a client span (a no-op unless tracing is on), the request's
 * id as X-Request-Id and the trace's `traceparent` on the request's headers, and the call
 * counted by `hostLabel` and outcome. The label is the caller's name for a host the operator
 * configured (`meta`, `springserve`), else `other`: a host a seller or buyer names (an agent, an
 * ad server's base, a webhook) never becomes a label value, so the series stay bounded and the
 * scraper sees no tenant's hosts. `send` performs the exchange with the headers as amended.
 */
export async function observeOutbound(
  url: URL,
  method: string,
  headers: Headers,
  hostLabel: string,
  send: () => Promise<Response>,
): Promise<Response> {
  const span = tracer().startSpan(`${method} ${url.host}`, {
    kind: SpanKind.CLIENT,
    attributes: { 'http.request.method': method, 'server.address': url.host },
  });
  const started = process.hrtime.bigint();
  const host = hostLabel;
  return context.with(trace.setSpan(context.active(), span), async () => {
    const requestId = currentRequestId();
    if (requestId && !headers.has('x-request-id')) headers.set('x-request-id', requestId);
    injectTraceHeaders(headers);
    try {
      const response = await send();
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      outboundCalls.inc({ host, outcome: `${Math.floor(response.status / 100)}xx` });
      return response;
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      const outcome = /Timeout/.test(name) ? 'timeout' : /Blocked/.test(name) ? 'blocked' : 'error';
      outboundCalls.inc({ host, outcome });
      span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      throw error;
    } finally {
      outboundDuration.observe({ host }, Number(process.hrtime.bigint() - started) / 1e9);
      span.end();
    }
  });
}
