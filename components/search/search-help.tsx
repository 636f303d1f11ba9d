import Link from "next/link";
import { EXAMPLES, KEYS } from "@/lib/search/keys";

/** Examples (links that run them) and the keys of the language. */
export function SearchHelp() {
  return (
    <div className="grid gap-6 px-4 py-4 text-sm md:grid-cols-2">
      <section aria-labelledby="search-examples">
        <h2 id="search-examples" className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          Examples
        </h2>
        <ul className="space-y-1.5">
          {EXAMPLES.map((e) => (
            <li key={e.query}>
              <Link
                href={`/search?q=${encodeURIComponent(e.query)}`}
                className="font-mono text-sky-700 hover:underline dark:text-sky-300"
              >
                {e.query}
              </Link>
              <span className="ml-2 text-xs text-zinc-500">{e.meaning}</span>
            </li>
          ))}
        </ul>
        <p className="mt-4 text-xs leading-relaxed text-zinc-500">
          Keys combine with AND; <span className="font-mono">status:error,killed</span> means either; a leading{" "}
          <span className="font-mono">-</span> negates; <span className="font-mono">agent:support-*</span> matches a prefix. Words
          and <span className="font-mono">&quot;quoted phrases&quot;</span> search what the models saw and said (all in one
          message; <span className="font-mono">refu*</span> for a prefix). With a drift key, or no tool:, model: or words, the
          results are drift points; otherwise runs, at the first step that matches. Dates are UTC; ages (24h, 7d) count back from
          now.
        </p>
      </section>
      <section aria-labelledby="search-keys">
        <h2 id="search-keys" className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          Keys
        </h2>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
          {KEYS.map((k) => (
            <div key={k.name} className="contents">
              <dt className="font-mono text-zinc-800 dark:text-zinc-200">{k.example}</dt>
              <dd className="text-xs leading-5 text-zinc-500">
                {k.description}
                {k.values && (k.name === "drift" || k.name === "status") ? `: ${k.values.join(", ")}` : ""}
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
