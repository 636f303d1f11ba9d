import { readFileSync } from "node:fs";
import { parsePolicySet, type PolicySet } from "@/lib/drift/policy-schema";

/**
 * Agent policies from CAUSEWAY_POLICY_FILE (JSON, see lib/drift/policy-schema.ts), read
 * once at start-up: a missing or invalid file stops the collector with a message naming
 * the setting and the bad path, rather than running without the policies someone wrote.
 */
export function loadPolicyFile(path: string | undefined): PolicySet | null {
  if (!path) return null;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`CAUSEWAY_POLICY_FILE=${path}: cannot read it (${(error as Error).message})`);
  }
  try {
    return parsePolicySet(JSON.parse(text));
  } catch (error) {
    throw new Error(`CAUSEWAY_POLICY_FILE=${path}: ${(error as Error).message}`);
  }
}
