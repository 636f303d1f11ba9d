/**
 * A tiny protobuf writer for tests and the bench: builds wire bytes field by field, so tests can
 * produce exactly the bytes they need (unknown fields, odd orders, broken framing).
 * Not used by the decoders.
 */

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Raw varint bytes; negatives as 64-bit two's complement (10 bytes). */
export function varintBytes(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

export const tag = (field: number, wire: number) => varintBytes(field * 8 + wire);

export const pb = {
  varint: (field: number, v: number | bigint) => concat(tag(field, 0), varintBytes(v)),
  fixed64: (field: number, v: bigint) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    return concat(tag(field, 1), b);
  },
  double: (field: number, v: number) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    return concat(tag(field, 1), b);
  },
  fixed32: (field: number, v: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    return concat(tag(field, 5), b);
  },
  bytes: (field: number, b: Uint8Array) => concat(tag(field, 2), varintBytes(b.length), b),
  string: (field: number, s: string) => pb.bytes(field, new TextEncoder().encode(s)),
  message: (field: number, ...parts: Uint8Array[]) => pb.bytes(field, concat(...parts)),
};

export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

/** One unknown field of every wire type (field numbers far above any OTLP field). */
export function unknownFields(): Uint8Array {
  return concat(
    pb.varint(1000, 300),
    pb.fixed64(1001, 0x0102030405060708n),
    pb.string(1002, "future"),
    pb.message(1003, pb.varint(1, 1), pb.string(2, "nested")),
    pb.fixed32(1004, 0xdeadbeef),
  );
}

/** KeyValue helpers for AnyValue fields: {1: key, 2: AnyValue}. */
export const kv = {
  string: (field: number, key: string, v: string) => pb.message(field, pb.string(1, key), pb.message(2, pb.string(1, v))),
  int: (field: number, key: string, v: number | bigint) => pb.message(field, pb.string(1, key), pb.message(2, pb.varint(3, v))),
  double: (field: number, key: string, v: number) => pb.message(field, pb.string(1, key), pb.message(2, pb.double(4, v))),
  bool: (field: number, key: string, v: boolean) => pb.message(field, pb.string(1, key), pb.message(2, pb.varint(2, v ? 1 : 0))),
};
