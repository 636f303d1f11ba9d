export function RunsEmpty({ filtered, collectorUrl }: { filtered: boolean; collectorUrl: string }) {
  if (filtered) return <p className="px-4 py-10 text-center text-sm text-zinc-500">No runs match these filters.</p>;
  return (
    <div className="px-6 py-10">
      <h2 className="text-base font-semibold">No runs yet</h2>
      <p className="mt-1 max-w-2xl text-sm text-zinc-500">
        Point any OpenTelemetry-instrumented agent at Causeway&apos;s collector. Runs appear here as their spans arrive.
      </p>
      <pre className="mt-4 overflow-x-auto rounded-md bg-zinc-900 px-4 py-3 font-mono text-xs leading-relaxed text-zinc-100">
        {`OTEL_EXPORTER_OTLP_ENDPOINT=${collectorUrl}\nOTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer <ingest key>`}
      </pre>
      <p className="mt-3 text-xs text-zinc-500">Admins create ingest keys under Settings → API keys.</p>
    </div>
  );
}
