import type { Metadata } from "next";
import { ConnectedSearch } from "@/app/(app)/search/connected-search";
import { DEFAULT_PROJECT_SLUG } from "@/lib/server/repositories/projects";

export const metadata: Metadata = { title: "Search" };

/** Drift search. The query is in the URL (?q=…&cursor=…), so a search can be shared as a link. */
export default async function SearchPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const q = typeof params.q === "string" ? params.q : "";
  const cursor = typeof params.cursor === "string" ? params.cursor : "";
  // A server component renders once per request, so reading the clock here is deterministic for that response.
  // eslint-disable-next-line react-hooks/purity
  const renderedAt = Date.now();
  return <ConnectedSearch project={DEFAULT_PROJECT_SLUG} query={q} cursor={cursor} renderedAt={renderedAt} />;
}
