import { randomBytes } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";

/**
 * What makes scripted agents look like real ones in a trace: latencies, provider-style ids and token counts that
 * grow with the context. Nothing here is asserted by tests except through the spans it shapes.
 */

/** Waits `ms` (scaled), or rejects with the signal's reason as soon as it aborts. */
export async function pause(ms: number, scale: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const scaled = Math.round(ms * scale);
  if (scaled <= 0) return;
  await delay(scaled, undefined, { signal }).catch((error: unknown) => {
    throw signal?.aborted ? signal.reason : error;
  });
}

/** A latency drawn from [min, max] ms. */
export function between(min: number, max: number): number {
  return min + Math.random() * (max - min);
}

/** Tool-call ids in the shape each provider uses (`call_…` OpenAI, `toolu_…` Anthropic). */
export function toolCallId(provider: string): string {
  const id = randomBytes(12).toString("base64url").replace(/[-_]/g, "x");
  return provider.startsWith("anthropic") ? `toolu_01${id}` : `call_${id}`;
}

/** Response ids in the shape each provider uses. */
export function responseId(provider: string): string {
  const id = randomBytes(12).toString("hex");
  if (provider.startsWith("anthropic")) return `msg_01${id}`;
  if (provider.startsWith("gcp")) return id;
  return `chatcmpl-${id}`;
}

/**
 * Roughly what a BPE tokenizer counts for English and JSON (≈ 3.8 characters a token), plus the few tokens of
 * framing every message costs.
 */
export function estimateTokens(text: string, messages = 1): number {
  return Math.ceil(text.length / 3.8) + 4 * messages;
}

/**
 * Now, to the microsecond. The SDK stamps spans from Date.now() (whole milliseconds), so steps that follow each
 * other quickly would tie and sort arbitrarily; hand-written spans pass this as their start and end instead.
 */
export function preciseNow(): [number, number] {
  const ms = performance.timeOrigin + performance.now();
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.min(999_999_999, Math.round((ms - seconds * 1000) * 1e6))];
}
