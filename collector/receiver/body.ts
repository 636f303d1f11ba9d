import type { IncomingMessage } from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";

/**
 * Reads a request body with a size cap that also holds after decompression, so a
 * small gzip bomb cannot make the collector allocate gigabytes (zlib stops at
 * `maxOutputLength`).
 */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase().trim();
  if (!["identity", "gzip", "x-gzip", "deflate"].includes(encoding))
    throw new BodyError(415, `Content-Encoding "${encoding}" is not supported (use gzip, deflate or none)`);
  const declared = Number(req.headers["content-length"]);
  if (declared > maxBytes) throw new BodyError(413, `request body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`);

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.resume(); // drain without keeping it
      throw new BodyError(413, `request body exceeds the limit of ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  if (encoding === "identity" || raw.length === 0) return raw;
  try {
    return await (encoding === "deflate" ? inflateAny(raw, maxBytes) : gunzip(raw, { maxOutputLength: maxBytes }));
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
      throw new BodyError(413, `decompressed request body exceeds the limit of ${maxBytes} bytes`);
    throw new BodyError(400, `request body is not valid ${encoding} data: ${(error as Error).message}`);
  }
}

/** "deflate" in HTTP means zlib-wrapped, but some clients send raw deflate: accept both. */
async function inflateAny(raw: Buffer, maxBytes: number): Promise<Buffer> {
  try {
    return await inflate(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw error;
    return await promisify(zlib.inflateRaw)(raw, { maxOutputLength: maxBytes });
  }
}
