/**
 * Redaction before storage: secrets and personal data in span content are replaced
 * with `[REDACTED:<rule>]` before anything reaches the database. Rules are plain
 * regexes so they are cheap on the ingest path; one quick test of what every match
 * must contain (each rule's `hint`) skips most strings without running the rules.
 */
export type RedactionRule = {
  name: string;
  pattern: RegExp;
  /**
   * Something every match contains, found fast (a literal, or a short class run), tested case-insensitively;
   * default: the pattern itself. The email pattern is the reason: tried at every position of every word it
   * scans the word to its end looking for "@", which made the pre-test 8 % of the ingest worker's time.
   */
  hint?: RegExp;
  /** Extra check on a match (e.g. Luhn for card numbers). */ accept?: (m: string) => boolean;
};

export const BUILTIN_RULES: Record<string, RedactionRule[]> = {
  secrets: [
    {
      name: "private_key",
      pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
      hint: /-----BEGIN /,
    },
    { name: "jwt", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, hint: /eyJ/ },
    { name: "bearer", pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/gi, hint: /(?:Bearer|Basic)\s/ },
    {
      name: "api_key",
      pattern:
        /\b(?:sk-(?:proj-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|cwk_[A-Za-z0-9_-]{43}|sk_(?:live|test)_[A-Za-z0-9]{20,}|glpat-[A-Za-z0-9_-]{20})\b/g,
    },
    {
      name: "secret_assignment",
      pattern:
        /\b(api[_-]?key|secret|password|passwd|access[_-]?token|client[_-]?secret)(["']?\s*[:=]\s*["']?)([^\s"',;&]{8,})/gi,
      hint: /(?:api[_-]?key|secret|password|passwd|access[_-]?token)["']?\s*[:=]/,
    },
  ],
  emails: [{ name: "email", pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g, hint: /@[A-Za-z0-9.-]+\./ }],
  cards: [{ name: "card", pattern: /\b(?:\d[ -]?){12,18}\d\b/g, accept: (m) => luhn(m.replace(/\D/g, "")) }],
};

export type Redactor = (text: string) => string;

/** Builds a redactor from rule groups ("secrets", "emails", "cards") and extra regex sources. */
export function createRedactor(groups: string[], extraPatterns: string[] = []): Redactor {
  const rules: RedactionRule[] = groups.flatMap((g) => {
    const r = BUILTIN_RULES[g];
    if (!r) throw new Error(`unknown redaction rule group "${g}" (known: ${Object.keys(BUILTIN_RULES).join(", ")})`);
    return r;
  });
  extraPatterns.forEach((source, i) => rules.push({ name: `custom_${i + 1}`, pattern: new RegExp(source, "g") }));
  if (rules.length === 0) return (t) => t;
  // One scan with every rule combined answers "anything to redact?" for the common
  // case (nothing), instead of one scan per rule.
  const any = new RegExp(rules.map((r) => `(?:${(r.hint ?? r.pattern).source})`).join("|"), "i");
  return (text) => {
    if (text.length < 8 || !any.test(text)) return text;
    let out = text;
    for (const rule of rules) {
      rule.pattern.lastIndex = 0;
      if (!rule.pattern.test(out)) continue;
      rule.pattern.lastIndex = 0;
      out = out.replace(rule.pattern, (match: string, ...groups: unknown[]) => {
        if (rule.accept && !rule.accept(match)) return match;
        // Keep the name of an assigned secret ("api_key=") so the context stays readable.
        if (rule.name === "secret_assignment") return `${groups[0]}${groups[1]}[REDACTED:secret]`;
        return `[REDACTED:${rule.name}]`;
      });
    }
    return out;
  };
}

function luhn(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}
