/**
 * Thrown when a request body cannot be decoded at all: malformed protobuf framing
 * (truncated varint, length past the end, bad wire type, nesting too deep),
 * invalid JSON, or a JSON value of the wrong shape. The receiver answers HTTP 400
 * with a google.rpc.Status body (https://opentelemetry.io/docs/specs/otlp/#failures-1).
 *
 * Problems with single spans (bad ids) are not errors: those spans are rejected and
 * reported through partial_success instead.
 */
export class DecodeError extends Error {
  override readonly name = "DecodeError";

  /** @param offset byte offset in a protobuf body, when known. */
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}
