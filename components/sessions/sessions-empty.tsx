/** Where each convention family puts the conversation id (lib/conventions/*: what the collector reads). */
const SOURCES: { family: string; keys: string[] }[] = [
  { family: "OpenTelemetry GenAI", keys: ["gen_ai.conversation.id"] },
  { family: "OpenInference", keys: ["session.id", "metadata: session_id, thread_id, conversation_id"] },
  {
    family: "Vercel AI SDK",
    keys: ["ai.telemetry.metadata.sessionId", "… .conversationId, .threadId, .chatId (or snake_case)"],
  },
  {
    family: "OpenLLMetry (Traceloop)",
    keys: ["traceloop.association.properties.session_id", "… .sessionId, .conversation_id, .conversationId"],
  },
  { family: "Mastra", keys: ["threadId", "sessionId", "mastra.metadata.threadId"] },
  { family: "Google ADK", keys: ["gcp.vertex.agent.session_id"] },
];

export function SessionsEmpty({ filtered }: { filtered: boolean }) {
  if (filtered) return <p className="px-4 py-10 text-center text-sm text-zinc-500">No sessions match this filter.</p>;
  return (
    <div className="px-6 py-10">
      <h2 className="text-base font-semibold">No sessions yet</h2>
      <p className="mt-1 max-w-2xl text-sm text-zinc-500 dark:text-zinc-400">
        A session groups the runs of one conversation: every run whose spans carry the same conversation or session id. Runs
        without one still appear under Runs. The collector reads the id from any span of a run, under these attributes:
      </p>
      <table aria-label="Session attributes" className="mt-4 text-sm">
        <tbody>
          {SOURCES.map((s) => (
            <tr key={s.family} className="align-top">
              <th scope="row" className="py-1 pr-6 text-left font-medium whitespace-nowrap">
                {s.family}
              </th>
              <td className="py-1">
                {s.keys.map((k, i) => (
                  <code
                    key={k}
                    className={`inline-block rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300 ${i ? "ml-1.5" : ""}`}
                  >
                    {k}
                  </code>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-4 text-xs text-zinc-500">
        For example with the Vercel AI SDK:{" "}
        <code className="font-mono">{`experimental_telemetry: { isEnabled: true, metadata: { sessionId: chatId } }`}</code>
      </p>
    </div>
  );
}
