"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { queries } from "@/lib/api/queries";
import { SearchSyntaxError, type Span } from "@/lib/search/errors";
import { parseQuery } from "@/lib/search/parse";
import { applySuggestion } from "@/lib/search/suggest";
import { SearchBox } from "@/components/search/search-box";
import { SearchHelp } from "@/components/search/search-help";
import { SearchResults } from "@/components/search/search-results";
import { Button } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { ErrorText } from "@/components/ui/field";
import { useNow } from "@/components/ui/use-now";

type Props = { project: string; query: string; cursor: string; renderedAt: number };
type QueryProblem = { message: string; span: Span | null };

/** The same parser as the API's, in the browser: a bad query is pointed at before any request. */
function check(q: string): QueryProblem | null {
  try {
    parseQuery(q);
    return null;
  } catch (e) {
    if (e instanceof SearchSyntaxError) return { message: e.message, span: e.span };
    throw e;
  }
}

/** Data-bound search page: URL query → results; the draft in the input → suggestions. */
export function ConnectedSearch({ project, query, cursor, renderedAt }: Props) {
  const router = useRouter();
  const [draft, setDraft] = useState(query);
  const [caret, setCaret] = useState(query.length);
  const [problem, setProblem] = useState<QueryProblem | null>(() => check(query));
  // Back and forward change the URL's query: the input follows it.
  const [shownQuery, setShownQuery] = useState(query);
  if (shownQuery !== query) {
    setShownQuery(query);
    setDraft(query);
    setCaret(query.length);
    setProblem(check(query));
  }
  const valid = check(query) === null;
  const results = useQuery({ ...queries.search({ project, q: query, cursor: cursor || undefined }), enabled: valid });

  const typed = useDebounced({ q: draft, caret }, 120);
  const suggest = useQuery({
    ...queries.searchSuggest({ project, q: typed.q, cursor: typed.caret }),
    placeholderData: keepPreviousData,
  });
  // Only suggestions for what is in the input now, at the caret now: their range must still fit.
  const current = typed.q === draft && typed.caret === caret && !suggest.isPlaceholderData;
  const suggestions = suggest.data && current ? suggest.data.suggestions : [];
  const now = useNow(renderedAt, 30_000);

  const go = (q: string, nextCursor?: string) => {
    const params = new URLSearchParams();
    if (q) params.set("q", q);
    if (nextCursor) params.set("cursor", nextCursor);
    router.push(`/search${params.size ? `?${params}` : ""}`);
  };
  const submit = () => {
    const found = check(draft);
    setProblem(found);
    if (!found) go(draft.trim());
  };

  const page = results.data;
  return (
    <>
      <PageHeader
        title="Search"
        description="Find where agents left their path: drift points, and runs by what they called and said."
        actions={
          <span className="text-xs text-zinc-500" aria-live="polite">
            {results.isFetching ? "Searching…" : page ? describe(page.mode, page.results.length, !!page.nextCursor) : ""}
          </span>
        }
      />
      <div className="mb-4">
        <SearchBox
          value={draft}
          onChange={(value, at) => {
            setDraft(value);
            setCaret(at);
            setProblem(null);
          }}
          onCaret={setCaret}
          onSubmit={submit}
          suggestions={suggestions}
          onAccept={(s) => {
            const next = applySuggestion(draft, s, suggest.data!.from, suggest.data!.to);
            setDraft(next.value);
            setCaret(next.caret);
            setProblem(null);
            return next;
          }}
          error={problem}
        />
      </div>
      {results.error && <ErrorText>{results.error.message}</ErrorText>}
      <Card>
        {page && page.results.length > 0 ? (
          <SearchResults page={page} now={now} />
        ) : page ? (
          <p className="px-4 py-6 text-center text-sm text-zinc-500">
            {query ? "Nothing matches this search." : "No drift points yet: they appear here as detectors flag runs."}
          </p>
        ) : (
          !valid && <p className="px-4 py-6 text-center text-sm text-zinc-500">Fix the query above to search.</p>
        )}
        {(cursor || page?.nextCursor) && (
          <div className="flex justify-end gap-2 border-t border-zinc-200 px-4 py-2 dark:border-zinc-800">
            {cursor && (
              <Button variant="secondary" onClick={() => go(query)}>
                Newest
              </Button>
            )}
            {page?.nextCursor && (
              <Button variant="secondary" onClick={() => go(query, page.nextCursor ?? undefined)}>
                Older →
              </Button>
            )}
          </div>
        )}
      </Card>
      <div className="mt-4">
        <Card title="How to search">
          <SearchHelp />
        </Card>
      </div>
    </>
  );
}

function describe(mode: "drift" | "steps", count: number, more: boolean): string {
  const n = `${count}${more ? "+" : ""}`;
  return mode === "drift"
    ? `${n} drift point${count === 1 ? "" : "s"}, newest first`
    : `${n} run${count === 1 ? "" : "s"}, newest first`;
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const key = JSON.stringify(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(JSON.parse(key) as T), ms);
    return () => clearTimeout(id);
  }, [key, ms]);
  return settled;
}
