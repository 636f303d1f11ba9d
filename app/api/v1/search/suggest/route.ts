import { suggestRequest } from "@/lib/api/search-schemas";
import { json } from "@/lib/server/api/errors";
import { withAuth } from "@/lib/server/api/handler";
import { KNOWN_VALUE_KEYS, listKnownValues } from "@/lib/server/repositories/search";
import { keySuggestions, staticValues, suggestContext, valueSuggestions } from "@/lib/search/suggest";

/**
 * GET /api/v1/search/suggest?q=<query>&cursor=<caret> — autocomplete at the caret: keys, or the
 * values of the key being typed (fixed ones, and agents, tools, models and sessions from the
 * database). Each suggestion replaces q[from, to).
 */
export const GET = withAuth("read", async ({ req, db, project }) => {
  const { q, cursor } = suggestRequest.parse(Object.fromEntries(new URL(req.url).searchParams));
  const caret = Math.min(cursor ?? q.length, q.length);
  const context = suggestContext(q, caret);
  if (!context) return json({ from: caret, to: caret, suggestions: [] });
  const { from, to } = context;
  if (context.kind === "key") return json({ from, to, suggestions: keySuggestions(context.prefix) });
  const known = KNOWN_VALUE_KEYS.find((k) => k === context.key);
  const values =
    staticValues(context.key, new Date()) ??
    (known ? await listKnownValues(db, project.id, known, context.prefix.replace(/\*+$/, "")) : []);
  return json({ from, to, suggestions: valueSuggestions(context.prefix, values) });
});
