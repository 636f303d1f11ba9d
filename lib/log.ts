/**
 * A small structured logger: one line per event, `time level [component] message {fields}`.
 * Every process logs through it so the supervisor's prefixed output stays uniform.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Logger = Record<LogLevel, (message: string, fields?: Record<string, unknown>) => void>;

export function createLogger(
  component: string,
  level: LogLevel = "info",
  write: (line: string) => void = (line) => void process.stderr.write(line + "\n"),
): Logger {
  const emit = (l: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[l] < ORDER[level]) return;
    const extra = fields && Object.keys(fields).length ? " " + JSON.stringify(fields, errorReplacer) : "";
    write(`${new Date().toISOString()} ${l.padEnd(5)} [${component}] ${message}${extra}`);
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}
