/** The demo agents (see demo/README.md): real instrumented programs, used by `npm run demo` and as e2e fixtures. */
export { runSupportAgent, SUPPORT, type SupportOptions, type SupportScenario } from "@/demo/agents/support";
export { runResearchAgent, RESEARCH, type ResearchOptions, type ResearchTopic } from "@/demo/agents/research";
export { runLoopAgent, LOOP, type LoopOptions } from "@/demo/agents/loop";
export { runFlakyAgent, FLAKY, type FlakyOptions } from "@/demo/agents/flaky";
export { runMigrationAgent, MIGRATION, type MigrationOptions } from "@/demo/agents/migration";
export type { AgentHooks, AgentOptions, AgentRun } from "@/demo/agents/types";
