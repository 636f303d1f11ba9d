import type { Span } from "@/lib/search/errors";

/** A query error under the input: the message, and the query with the bad token marked. */
export function QueryError({ id, query, message, span }: { id: string; query: string; message: string; span: Span | null }) {
  const valid = span && span.start >= 0 && span.end <= query.length && span.start <= span.end;
  return (
    <div
      id={id}
      role="alert"
      className="mt-2 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-300"
    >
      <p>{message}</p>
      {valid && (
        <p className="mt-1 font-mono text-xs break-all whitespace-pre-wrap text-zinc-700 dark:text-zinc-300" aria-hidden>
          {query.slice(0, span.start)}
          <mark
            data-testid="query-error-token"
            className="rounded-sm bg-red-200 px-0.5 text-red-900 underline decoration-red-600 decoration-wavy dark:bg-red-900 dark:text-red-100"
          >
            {/* An empty token (an empty list item) still needs something to point at. */}
            {query.slice(span.start, span.end) || " "}
          </mark>
          {query.slice(span.end)}
        </p>
      )}
    </div>
  );
}
