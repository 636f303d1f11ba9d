import { readFileSync } from "node:fs";
import { parsePolicyFile, type PolicyFile } from "@/lib/policy/schema";

/**
 * CAUSEWAY_POLICY_FILE (JSON, lib/policy/schema.ts: the drift policy format plus
 * `actions`), read once at start-up: a missing or invalid file stops the collector with
 * a message naming the setting and the bad field, rather than running without the
 * policies someone wrote.
 */
export function loadPolicyFile(path: string | undefined): PolicyFile | null {
  if (!path) return null;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`CAUSEWAY_POLICY_FILE=${path}: cannot read it (${(error as Error).message})`);
  }
  try {
    return parsePolicyFile(JSON.parse(text));
  } catch (error) {
    throw new Error(`CAUSEWAY_POLICY_FILE=${path}: ${(error as Error).message}`);
  }
}

/** How file rows are labelled ("updated by") in the database and the UI. */
export const fileLabel = (path: string) => `CAUSEWAY_POLICY_FILE (${path})`;
