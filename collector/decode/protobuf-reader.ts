/**
 * Protobuf wire-format primitives (https://protobuf.dev/programming-guides/encoding/).
 *
 * A message is a sequence of fields, each `tag = (field_number << 3) | wire_type` then a value:
 * 0 VARINT, 1 I64 (8 bytes little-endian), 2 LEN (varint length + bytes), 5 I32 (4 bytes).
 * Wire types 3/4 (groups) are deprecated and never used by OTLP; 6/7 do not exist. Fields may
 * come in any order, repeat (last wins for scalars, merge for messages) and be unknown: an
 * unknown field is skipped by its wire type, which is what makes newer senders compatible.
 *
 * The Reader is deliberately small and allocation-free: decoding functions keep the cursor
 * here, read lengths and bounds as plain numbers, and only allocate the values they return.
 */
import { DecodeError } from "@/collector/decode/errors";

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

/** The deepest AnyValue nesting accepted (arrays/kvlists within values); beyond it the body is rejected. */
export const MAX_DEPTH = 64;

const TWO_32 = 4294967296;
/** Values with |v| below 2^53 (high word below 2^21) are exact as JS numbers. */
const SAFE_HIGH = 0x200000;

/** String cache (see Reader#cachedString): bounded, so hostile unique keys only cost misses. */
const CACHE_SIZE = 4096;
const CACHE_MAX_LEN = 48;
const cacheBytes: (Uint8Array | undefined)[] = new Array(CACHE_SIZE).fill(undefined);
const cacheStrings: (string | undefined)[] = new Array(CACHE_SIZE).fill(undefined);

export class Reader {
  pos = 0;
  /** Same bytes as a Buffer view (no copy) for native UTF-8 decoding. */
  private readonly text: Buffer;
  private readonly view: DataView;

  readonly buf: Uint8Array;

  constructor(body: Uint8Array) {
    // A plain Uint8Array view: Buffer#slice would return views where copies are wanted.
    this.buf = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    this.text = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    this.view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  }

  fail(what: string, at = this.pos): never {
    throw new DecodeError(`${what} at byte ${at}`, at);
  }

  /**
   * A varint's low 32 bits as an unsigned number (tags, lengths, enums, counts). Consumes the
   * whole varint, up to the 10 bytes a negative int32 enum takes. `field` and `msg` only
   * name the place in error messages (field 0 = the tag itself).
   */
  uint32(field: number, msg: string): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= buf.length) this.varintFail("truncated", field, msg);
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let result = b & 0x7f;
    for (let shift = 7; shift < 70; shift += 7) {
      if (pos >= buf.length) this.varintFail("truncated", field, msg);
      b = buf[pos++]!;
      if (shift < 32) result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    return this.varintFail("over-long (more than 10 bytes)", field, msg);
  }

  private varintFail(what: string, field: number, msg: string): never {
    return this.fail(`${what} varint ${field === 0 ? "tag" : `field ${field}`} in ${msg}`);
  }

  /**
   * A tag within a message ending at `end`. Field number 0 is invalid; the wire type is
   * checked where the field is used or skipped.
   */
  tag(msg: string): number {
    const at = this.pos;
    const tag = this.uint32(0, msg);
    if (tag >>> 3 === 0) this.fail(`invalid field number 0 in ${msg}`, at);
    return tag;
  }

  /**
   * The end offset of a length-delimited value starting at the cursor, checked against the
   * end of the enclosing message. The cursor is left at the first byte of the value.
   */
  len(tag: number, msg: string, end: number): number {
    const at = this.pos;
    const n = this.uint32(tag >>> 3, msg);
    // uint32 keeps the low 32 bits: a length of 2^31 or more (5th byte above 7, or longer) is never valid.
    const size = this.pos - at;
    if (size > 5 || (size === 5 && this.buf[this.pos - 1]! > 7))
      this.fail(`length of field ${tag >>> 3} in ${msg} out of range`, at);
    const stop = this.pos + n;
    if (stop > end) {
      this.fail(`truncated length-delimited field ${tag >>> 3} in ${msg} (length ${n})`, at);
    }
    return stop;
  }

  /** Steps over a length-delimited value and returns where it starts (it ends at the cursor). */
  lenValue(tag: number, msg: string, end: number): number {
    const stop = this.len(tag, msg, end);
    const start = this.pos;
    this.pos = stop;
    return start;
  }

  /** A string field (UTF-8; invalid sequences become U+FFFD, never an error). */
  string(tag: number, msg: string, end: number): string {
    const stop = this.len(tag, msg, end);
    const start = this.pos;
    this.pos = stop;
    return stop - start === 0 ? "" : this.text.toString("utf8", start, stop);
  }

  /**
   * A short, frequently repeated string (attribute keys, enum-like values): served from a
   * small process-wide cache keyed by its bytes, which skips UTF-8 decoding and hands out the
   * same string instance again (already internalized once used as a property key). Longer
   * strings are decoded normally.
   */
  cachedString(tag: number, msg: string, end: number): string {
    const stop = this.len(tag, msg, end);
    const start = this.pos;
    this.pos = stop;
    const n = stop - start;
    if (n === 0) return "";
    if (n > CACHE_MAX_LEN) return this.text.toString("utf8", start, stop);
    const buf = this.buf;
    let h = 0x811c9dc5; // FNV-1a
    for (let i = start; i < stop; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const slot = (h >>> 0) & (CACHE_SIZE - 1);
    const cached = cacheBytes[slot];
    if (cached !== undefined && cached.length === n) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (cached[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return cacheStrings[slot]!;
    }
    const s = this.text.toString("utf8", start, stop);
    cacheBytes[slot] = buf.slice(start, stop);
    cacheStrings[slot] = s;
    return s;
  }

  /** A bytes field, copied so the result does not keep the request body alive. */
  bytes(tag: number, msg: string, end: number): Uint8Array {
    const stop = this.len(tag, msg, end);
    const out = this.buf.slice(this.pos, stop);
    this.pos = stop;
    return out;
  }

  /** fixed64 as an unsigned bigint (timestamps). */
  fixed64(tag: number, msg: string, end: number): bigint {
    const at = this.pos;
    if (at + 8 > end) this.fail(`truncated fixed64 field ${tag >>> 3} in ${msg}`);
    this.pos = at + 8;
    return this.view.getBigUint64(at, true);
  }

  double(tag: number, msg: string, end: number): number {
    const at = this.pos;
    if (at + 8 > end) this.fail(`truncated double field ${tag >>> 3} in ${msg}`);
    this.pos = at + 8;
    return this.view.getFloat64(at, true);
  }

  /**
   * int64 varint (two's complement, negatives take 10 bytes): a number when |v| <= 2^53-1,
   * a bigint otherwise.
   */
  int64(tag: number, msg: string): number | bigint {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length) this.varintFail("truncated", tag >>> 3, msg);
      if (shift >= 70) this.varintFail("over-long (more than 10 bytes)", tag >>> 3, msg);
      const b = buf[pos++]!;
      const bits = b & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= bits << 28; // only the low 4 bits survive
        hi = bits >>> 4;
      } else hi |= bits << (shift - 32);
      shift += 7;
      if (b < 0x80) break;
    }
    this.pos = pos;
    lo >>>= 0;
    hi >>>= 0;
    if (hi < 0x80000000) {
      return hi < SAFE_HIGH ? hi * TWO_32 + lo : (BigInt(hi) << 32n) | BigInt(lo);
    }
    // Negative: magnitude = two's complement of (hi, lo).
    const mlo = (~lo + 1) >>> 0;
    const mhi = (~hi + (mlo === 0 ? 1 : 0)) >>> 0;
    if (mhi < SAFE_HIGH) return -(mhi * TWO_32 + mlo);
    return -((BigInt(mhi) << 32n) | BigInt(mlo));
  }

  /** Skips the value of an unknown (or unexpectedly typed) field. */
  skip(tag: number, msg: string, end: number): void {
    switch (tag & 7) {
      case WIRE_VARINT:
        this.uint32(tag >>> 3, msg);
        return;
      case WIRE_I64:
        if (this.pos + 8 > end) this.fail(`truncated fixed64 field ${tag >>> 3} in ${msg}`);
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.len(tag, msg, end);
        return;
      case WIRE_I32:
        if (this.pos + 4 > end) this.fail(`truncated fixed32 field ${tag >>> 3} in ${msg}`);
        this.pos += 4;
        return;
      default: {
        // Point at the tag itself (its canonical length: tags are short varints).
        const tagLen = tag < 0x80 ? 1 : tag < 0x4000 ? 2 : tag < 0x200000 ? 3 : tag < 0x10000000 ? 4 : 5;
        this.fail(`unsupported wire type ${tag & 7} for field ${tag >>> 3} in ${msg}`, this.pos - tagLen);
      }
    }
  }

  /** After a message's fields: the last one must end exactly at the message boundary. */
  done(msg: string, end: number): void {
    if (this.pos !== end) this.fail(`field overruns the end of ${msg} (ends at byte ${end})`);
  }
}
