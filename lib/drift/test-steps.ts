import { createHash } from "node:crypto";
import type { DriftStep } from "@/lib/drift/types";

/**
 * Readable runs for detector tests, written the way agents produce them:
 *
 *   const run = new RunBuilder();        // invoke_agent root (step 1)
 *   run.llm().tool("search_web", { q: "refund policy" }, { result: { hits: 0 } });
 *
 * Span ids are sequential hex (step n → "…000n"), results are digested like the loader does.
 */
export class RunBuilder {
  readonly steps: DriftStep[] = [];
  readonly rootId: string;

  constructor(rootName = "invoke_agent support-bot") {
    this.rootId = this.add({ kind: "agent", name: rootName, parentSpanId: null }).spanId;
  }

  llm(o: { output?: string; inputTokens?: number; totalTokens?: number; contextBytes?: number; parent?: string } = {}): this {
    this.add({
      kind: "llm",
      name: "chat gpt-4o",
      inputTokens: o.inputTokens ?? null,
      totalTokens: o.totalTokens ?? (o.inputTokens === undefined ? null : o.inputTokens + 20),
      contextBytes: o.contextBytes ?? null,
      outputHashes: [digest(o.output ?? `answer ${this.steps.length}`)],
      parentSpanId: o.parent ?? this.rootId,
    });
    return this;
  }

  tool(name: string, args?: unknown, o: { result?: unknown; error?: string; parent?: string; rawArgs?: string } = {}): this {
    this.add({
      kind: "tool",
      name: `execute_tool ${name}`,
      toolName: name,
      toolArguments: o.rawArgs ?? (args === undefined ? null : JSON.stringify(args)),
      resultDigest: o.error || o.result === undefined ? null : digest(JSON.stringify(o.result)),
      status: o.error ? "error" : "unset",
      statusMessage: o.error ?? null,
      parentSpanId: o.parent ?? this.rootId,
    });
    return this;
  }

  /** A decision followed by the tool call it chose: one agent-loop iteration. */
  turn(name: string, args?: unknown, o: { result?: unknown; error?: string } = {}): this {
    return this.llm({ output: `call ${name} ${this.steps.length}` }).tool(name, args, o);
  }

  http(target: string, o: { parent?: string } = {}): this {
    this.add({ kind: "other", name: "GET", egressTarget: target, parentSpanId: o.parent ?? this.rootId });
    return this;
  }

  get last(): DriftStep {
    return this.steps.at(-1)!;
  }

  /** Steps of a given kind, 0-based among that kind ("the third tool call" = tools(2)). */
  nth(kind: DriftStep["kind"], n: number): DriftStep {
    return this.steps.filter((s) => s.kind === kind)[n]!;
  }

  private add(partial: Partial<DriftStep> & Pick<DriftStep, "kind" | "name" | "parentSpanId">): DriftStep {
    const index = this.steps.length + 1;
    const step: DriftStep = {
      spanId: index.toString(16).padStart(16, "0"),
      index,
      status: "unset",
      statusMessage: null,
      toolName: null,
      toolArguments: null,
      resultDigest: null,
      inputTokens: null,
      totalTokens: null,
      contextBytes: null,
      outputHashes: [],
      egressTarget: null,
      ...partial,
    };
    this.steps.push(step);
    return step;
  }
}

function digest(text: string): string {
  return createHash("md5").update(text).digest("hex");
}
