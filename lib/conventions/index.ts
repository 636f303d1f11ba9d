import type { Span } from "@/lib/otlp/types";
import type { ConventionFamily, NormalizedStep } from "@/lib/conventions/types";
import { adk } from "@/lib/conventions/adk";
import { genai } from "@/lib/conventions/genai";
import { generic } from "@/lib/conventions/generic";
import { mastra } from "@/lib/conventions/mastra";
import { mcp } from "@/lib/conventions/mcp";
import { openinference } from "@/lib/conventions/openinference";
import { openllmetry } from "@/lib/conventions/openllmetry";
import { vercelAi } from "@/lib/conventions/vercel-ai";

/**
 * The convention families in precedence order (README.md here explains why): the
 * first whose `detect` matches normalizes the span; spans no family claims become
 * generic steps that keep all their attributes.
 */
export const FAMILIES: readonly ConventionFamily[] = [mcp, openinference, vercelAi, mastra, adk, openllmetry, genai];

export function normalizeSpan(span: Span): NormalizedStep {
  for (const family of FAMILIES) {
    if (!family.detect(span)) continue;
    try {
      return family.normalize(span);
    } catch {
      // A family must never lose a span: an unexpected shape falls back to the generic step.
      break;
    }
  }
  return generic.normalize(span);
}
