import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Secrets (session tokens, API keys) are 256 random bits; only their SHA-256 is
 * stored, so a database leak does not leak usable credentials. A fast hash is
 * right here: unlike passwords, these secrets cannot be guessed.
 */
export const API_KEY_PREFIX = "cwk_";

export function newSecret(prefix = ""): string {
  return prefix + randomBytes(32).toString("base64url");
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Compares two secrets in constant time (via their hashes, so lengths may differ). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(hashSecret(a), "hex"), Buffer.from(hashSecret(b), "hex"));
}

/** The part of an API key shown in lists ("cwk_AbCd1234…"). */
export function keyPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 8);
}
