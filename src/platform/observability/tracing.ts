import { context, propagation, type Span, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

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

let provider: NodeTracerProvider | undefined;

/** Starts the tracer provider once per process when the environment asks; answers whether on. */
export function startTracing(env: NodeJS.ProcessEnv = process.env): boolean {
  if (provider) return true;
  if (!tracingWanted(env)) return false;
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
