/**
 * after:/before: values. A date (2026-11-01, midnight UTC), a date and time (2026-11-01T14:30,
 * UTC unless it names its offset: …Z, …+02:00), or an age counted back from now (30m, 24h, 7d, 2w).
 * Ages stay ages in the query so a shared link keeps meaning "the last 7 days".
 */
export type TimeBound = { kind: "date"; iso: string } | { kind: "age"; ms: number; text: string };

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const MAX_AGE_MS = 3650 * UNIT_MS.d;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

export function parseTimeBound(value: string): TimeBound | null {
  const age = /^(\d{1,6})([mhdw])$/.exec(value);
  if (age) {
    const ms = Number(age[1]) * UNIT_MS[age[2] as keyof typeof UNIT_MS];
    return ms > 0 && ms <= MAX_AGE_MS ? { kind: "age", ms, text: value } : null;
  }
  const date = DATE.exec(value);
  if (date) return validDate(date, `${value}T00:00:00Z`);
  const dt = DATE_TIME.exec(value);
  if (dt) {
    const offset = dt[8] ? (dt[8].toUpperCase() === "Z" ? "Z" : dt[8].replace(/^([+-]\d{2})(\d{2})$/, "$1:$2")) : "Z";
    return validDate(dt, `${dt[1]}-${dt[2]}-${dt[3]}T${dt[4]}:${dt[5]}:${dt[6] ?? "00"}${dt[7] ? `.${dt[7]}` : ""}${offset}`);
  }
  return null;
}

/** Rejects dates the calendar does not have (2026-02-30), which Date would roll over silently. */
function validDate(parts: RegExpExecArray, text: string): TimeBound | null {
  const t = Date.parse(text);
  if (Number.isNaN(t)) return null;
  const [y, mo, d] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  if (parts[4] !== undefined && (Number(parts[4]) > 23 || Number(parts[5]) > 59 || Number(parts[6] ?? 0) > 59)) return null;
  return { kind: "date", iso: new Date(t).toISOString() };
}

export function resolveTimeBound(bound: TimeBound, now: Date): Date {
  return bound.kind === "date" ? new Date(bound.iso) : new Date(now.getTime() - bound.ms);
}
