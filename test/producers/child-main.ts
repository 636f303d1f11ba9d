import { pathToFileURL } from "node:url";

/**
 * Entry point of a producer child process (see child.ts): imports PRODUCER_MODULE, calls its PRODUCER_EXPORT once
 * per option set in PRODUCER_RUNS (JSON array), in order, and prints the results as one JSON line after
 * RESULT_MARKER. SDKs that register themselves globally (context managers, Traceloop's NodeSDK, patched
 * `openai` classes) stay inside this process.
 */
export const RESULT_MARKER = "@@producer-result@@";

async function main() {
  const file = process.env.PRODUCER_MODULE;
  const name = process.env.PRODUCER_EXPORT;
  const runs = JSON.parse(process.env.PRODUCER_RUNS ?? "[]") as unknown[];
  if (!file || !name) throw new Error("PRODUCER_MODULE and PRODUCER_EXPORT are required");
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const fn = mod[name];
  if (typeof fn !== "function") throw new Error(`${file} does not export a function ${name}`);
  const results: unknown[] = [];
  for (const opts of runs) results.push(await (fn as (o: unknown) => Promise<unknown>)(opts));
  process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify(results)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then(
    // Some SDKs keep timers or sockets open (Traceloop's NodeSDK): everything is flushed by now.
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
