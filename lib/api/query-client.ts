import { QueryClient } from "@tanstack/react-query";
import { HttpError } from "@/lib/api/client";

/** One place for query defaults: short staleness, no retry on 4xx (a 404 will not fix itself). */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 2_000,
        retry: (count, error) => !(error instanceof HttpError && error.status < 500) && count < 3,
      },
    },
  });
}
