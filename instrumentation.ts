/** Runs once when the web server starts: a bad setting fails the start, naming the setting. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { webEnv } = await import("@/lib/server/env");
  webEnv();
}
