/**
 * A parameterized SQL fragment. `sql` turns every interpolated value into a numbered parameter
 * and splices interpolated fragments; `raw` is for fixed text written in this codebase (column
 * names from the compiler's own tables), never for anything a user typed. The compiler's output
 * is therefore SQL text made only of our strings plus `$n` placeholders, and a list of values.
 */
export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

export function sql(strings: TemplateStringsArray, ...args: unknown[]): Sql {
  const out: string[] = [strings[0]!];
  const values: unknown[] = [];
  args.forEach((arg, i) => {
    if (arg instanceof Sql) {
      out[out.length - 1] += arg.strings[0]!;
      for (let j = 0; j < arg.values.length; j++) {
        values.push(arg.values[j]);
        out.push(arg.strings[j + 1]!);
      }
    } else {
      values.push(arg);
      out.push("");
    }
    out[out.length - 1] += strings[i + 1]!;
  });
  return new Sql(out, values);
}

export const raw = (text: string) => new Sql([text], []);
export const empty = raw("");

export function join(parts: readonly Sql[], separator: string): Sql {
  if (parts.length === 0) return empty;
  return parts.slice(1).reduce((acc, part) => sql`${acc}${raw(separator)}${part}`, parts[0]!);
}

/** `$1 … $n` placeholders, numbered in order, for node-postgres and Prisma's $queryRawUnsafe. */
export function toQuery(fragment: Sql): { text: string; values: unknown[] } {
  let text = fragment.strings[0]!;
  for (let i = 1; i < fragment.strings.length; i++) text += `$${i}${fragment.strings[i]}`;
  return { text, values: [...fragment.values] };
}
