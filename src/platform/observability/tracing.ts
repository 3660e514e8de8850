import { context, propagation, type Span, SpanKind, trace } from '@opentelemetry/api';
import { createRequire } from 'node:module';
import type * as Exporter from '@opentelemetry/exporter-trace-otlp-http';
import type * as Resources from '@opentelemetry/resources';
import type * as TraceBase from '@opentelemetry/sdk-trace-base';
import type * as TraceNode from '@opentelemetry/sdk-trace-node';

/**
 * OpenTelemetry traces, off unless the standard variables ask for them: OTEL_TRACES_EXPORTER
 * (`otlp`; `none` or unset without an endpoint leaves tracing off), OTEL_EXPORTER_OTLP_ENDPOINT
 * or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (OTLP over HTTP, read by the exporter itself, as are
 * OTEL_EXPORTER_OTLP_HEADERS and the rest), OTEL_SERVICE_NAME (default `interchange`) and
 * OTEL_SDK_DISABLED. Off, every span below is the API's no-op. On, a W3C `traceparent` is read
 * from requests and sent on every outbound call, so one trace runs from a buyer's execute to
 * each seller's create_media_buy.
 */
export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER;
  if (exporter === 'none') return false;
  return (
    exporter === 'otlp' ||
    !!env.OTEL_EXPORTER_OTLP_ENDPOINT ||
    !!env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
  );
}

let provider: TraceNode.NodeTracerProvider | undefined;

/** Starts the tracer provider once per process when the environment asks; answers whether on. */
export function startTracing(env: NodeJS.ProcessEnv = process.env): boolean {
  if (provider) return true;
  if (!tracingWanted(env)) return false;
  // The SDK and its exporter are loaded only when traces are wanted (0.25 s of CPU and 14 MB on
  // every start otherwise), synchronously, so that tracing is on before the first request.
  const require = createRequire(import.meta.url);
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof TraceNode;
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof TraceBase;
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof Exporter;
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof Resources;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'interchange' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  return true;
}

/** Sends the spans still buffered (on shutdown). */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
  provider = undefined;
}

export const tracer = () => trace.getTracer('interchange');

/** A server span for a request whose headers may carry a parent; runs `work` inside it. */
export function inServerSpan<T>(
  name: string,
  headers: Record<string, string | string[] | undefined>,
  attributes: Record<string, string>,
  work: (span: Span) => T,
): T {
  const parent = propagation.extract(context.active(), headers);
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return context.with(trace.setSpan(parent, span), () => work(span));
}

/** Adds the current trace's `traceparent` (and `tracestate`) to outgoing headers. */
export function injectTraceHeaders(headers: Headers): void {
  propagation.inject(context.active(), headers, {
    set: (carrier, key, value) => carrier.set(key, value),
  });
}
