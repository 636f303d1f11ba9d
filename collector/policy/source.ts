import type { Logger } from "@/lib/log";
import type { PolicyFile, RuntimePolicy } from "@/lib/policy/schema";
import type pg from "pg";
import { readPolicies, syncPolicyFile } from "@/lib/server/repositories/runtime-policies";

export type AgentPolicies = Record<string, RuntimePolicy>;

/**
 * The policies the collector applies, per project: the project's rows in
 * agent_policies with the policy file on top (the file wins for the agents it names).
 *
 * Each project's "file" rows are made equal to the file once per process, the first
 * time the project is needed (and for every project at start-up, so the policy page
 * lists them at once); the file's entries apply even while that has not succeeded.
 * Rows are re-read at most every `ttlMs`: an edit in the UI takes effect within it.
 */
export class PolicySource {
  private readonly cache = new Map<string, { at: number; agents: Promise<AgentPolicies> }>();
  private readonly synced = new Map<string, Promise<void>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly file: { policies: PolicyFile; label: string } | null,
    private readonly log: Logger,
    private readonly ttlMs = 1000,
  ) {}

  /** Writes the file into every project now. Failures are logged; each project retries when it is next needed. */
  async syncAll(): Promise<void> {
    try {
      const { rows } = await this.pool.query<{ id: string }>(`SELECT id FROM projects`);
      await Promise.all(rows.map((p) => this.sync(p.id).catch(() => {})));
    } catch (error) {
      this.log.warn("policy file: cannot list projects", { error: (error as Error).message });
    }
  }

  /** The agents' policies of a project, or null when there are none (detectors skip the policy check). */
  async get(projectId: string): Promise<AgentPolicies | null> {
    await this.sync(projectId).catch(() => {});
    const now = Date.now();
    let hit = this.cache.get(projectId);
    if (!hit || now - hit.at > this.ttlMs) {
      const agents = readPolicies(this.pool, projectId, (agent, message) =>
        this.log.warn("invalid stored policy skipped", { projectId, agent, message }),
      );
      hit = { at: now, agents };
      this.cache.set(projectId, hit);
      agents.catch(() => this.cache.get(projectId) === hit && this.cache.delete(projectId));
    }
    const merged = { ...(await hit.agents), ...this.file?.policies.agents };
    return Object.keys(merged).length > 0 ? merged : null;
  }

  private sync(projectId: string): Promise<void> {
    let done = this.synced.get(projectId);
    if (!done) {
      done = syncPolicyFile(this.pool, projectId, this.file?.policies ?? null, this.file?.label ?? "").then(
        ({ written, removed }) => {
          if (written.length || removed.length) this.log.info("policy file applied", { projectId, written, removed });
        },
        (error: Error) => {
          this.synced.delete(projectId);
          this.log.warn("policy file: cannot write it to the database", { projectId, error: error.message });
          throw error;
        },
      );
      this.synced.set(projectId, done);
    }
    return done;
  }
}
