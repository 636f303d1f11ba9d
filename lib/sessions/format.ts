/** Display text for a session row; pure so it is tested without a browser. */

/** "support-bot, triage +2": the names the row carries and how many more agents ran in the session. */
export function formatAgentNames(names: readonly string[], total: number): string {
  if (names.length === 0) return "";
  const more = total - names.length;
  return more > 0 ? `${names.join(", ")} +${more}` : names.join(", ");
}

/** The run list filtered to one session: the link a session row (and a run's session cell) opens. */
export function sessionRunsHref(sessionId: string): string {
  return `/runs?${new URLSearchParams({ session: sessionId })}`;
}

/**
 * A long session id cut in the middle ("support-chat-…8bc56d3c"): ids tend to share a prefix
 * and differ at the end, so both ends stay readable. The full id goes in the title.
 */
export function truncateMiddle(id: string, max: number): string {
  const chars = [...id];
  if (chars.length <= max) return id;
  const keep = Math.max(max - 1, 2);
  const head = Math.ceil(keep / 2);
  return `${chars.slice(0, head).join("")}…${chars.slice(chars.length - (keep - head)).join("")}`;
}
