/**
 * Trace/span id handling shared by the protobuf and JSON decoders.
 *
 * On the wire ids are bytes (protobuf) or hex strings (OTLP/JSON, which deviates from the
 * standard proto3 JSON mapping: https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding).
 * Internally they are lower-case hex strings. Validity (trace.proto): trace_id is 16 bytes and
 * span_id 8 bytes, all-zero ids are invalid; parent_span_id is empty for a root span.
 */

/** Byte -> two ASCII char codes of its lower-case hex form, precomputed. */
const HEX_HI = new Uint8Array(256);
const HEX_LO = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  const s = i.toString(16).padStart(2, "0");
  HEX_HI[i] = s.charCodeAt(0);
  HEX_LO[i] = s.charCodeAt(1);
}

/**
 * Scratch buffer the hex digits are written into; one latin1 slice of it then yields a flat
 * one-byte string (concatenating 2-char strings would build a rope that every later hash
 * lookup has to flatten). Ids are at most 16 bytes, longer inputs are never converted.
 */
const scratch = Buffer.allocUnsafe(32);

/** Lower-case hex of buf[start, start+len) where len <= 16. */
export function hexOf(buf: Uint8Array, start: number, len: number): string {
  for (let i = 0; i < len; i++) {
    const b = buf[start + i]!;
    scratch[2 * i] = HEX_HI[b]!;
    scratch[2 * i + 1] = HEX_LO[b]!;
  }
  return scratch.toString("latin1", 0, 2 * len);
}

export function isAllZero(buf: Uint8Array, start: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (buf[start + i] !== 0) return false;
  return true;
}

/**
 * Why a span's ids are invalid, or null when they are fine. `len` is -1 when the field is
 * absent; an absent trace/span id is reported as 0 bytes.
 */
export function idProblem(
  traceBuf: Uint8Array,
  traceStart: number,
  traceLen: number,
  spanBuf: Uint8Array,
  spanStart: number,
  spanLen: number,
  parentLen: number,
): string | null {
  if (traceLen !== 16) return `trace_id must be 16 bytes, got ${Math.max(traceLen, 0)}`;
  if (isAllZero(traceBuf, traceStart, 16)) return "trace_id must not be all zero";
  if (spanLen !== 8) return `span_id must be 8 bytes, got ${Math.max(spanLen, 0)}`;
  if (isAllZero(spanBuf, spanStart, 8)) return "span_id must not be all zero";
  if (parentLen > 0 && parentLen !== 8) return `parent_span_id must be empty or 8 bytes, got ${parentLen}`;
  return null;
}

/** Hex of a valid 16-byte trace id or 8-byte span id range, or null when absent/invalid/all-zero. */
export function optionalId(buf: Uint8Array, start: number, len: number, want: 8 | 16): string | null {
  if (len !== want || isAllZero(buf, start, len)) return null;
  return hexOf(buf, start, len);
}

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE["0123456789abcdef".charCodeAt(i)] = i;
  HEX_VALUE["0123456789ABCDEF".charCodeAt(i)] = i;
}

/**
 * Bytes of an id as written in OTLP/JSON: hex (case-insensitive) per the spec. Being liberal,
 * also base64 (standard or URL-safe, padded or not) when it decodes to exactly `want` bytes:
 * some senders use the plain proto3 JSON mapping. Returns null when the string is neither;
 * a hex string of the wrong length comes back as its bytes so the length can be reported.
 */
export function idBytesFromJson(s: string, want: 8 | 16): Uint8Array | null {
  if (s.length % 2 === 0 && s.length <= 64) {
    const out = new Uint8Array(s.length / 2);
    let ok = true;
    for (let i = 0; i < out.length && ok; i++) {
      const hi = HEX_VALUE[s.charCodeAt(2 * i)] ?? -1;
      const lo = HEX_VALUE[s.charCodeAt(2 * i + 1)] ?? -1;
      if (hi < 0 || lo < 0) ok = false;
      else out[i] = (hi << 4) | lo;
    }
    if (ok && (out.length === want || !looksBase64(s, want))) return out;
  }
  if (looksBase64(s, want)) {
    const b = Buffer.from(s, "base64");
    if (b.length === want) return new Uint8Array(b);
  }
  return null;
}

/** 16 bytes = 22 base64 chars + "==", 8 bytes = 11 chars + "=". */
function looksBase64(s: string, want: 8 | 16): boolean {
  const chars = want === 16 ? 22 : 11;
  const pad = want === 16 ? "==" : "=";
  if (s.length !== chars && s.length !== chars + pad.length) return false;
  if (s.length > chars && s.slice(chars) !== pad) return false;
  return /^[A-Za-z0-9+/_-]+$/.test(s.slice(0, chars));
}
