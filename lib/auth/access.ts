/**
 * Who may do what. Pure rules shared by API routes, pages (to hide what a user
 * cannot use) and tests. Users have one role; API keys have scopes in one project.
 */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const SCOPES = ["ingest", "read", "operate"] as const;
export type Scope = (typeof SCOPES)[number];

/** What a request needs: reading runs, operating agents (kill/pause), or administering the instance. */
export type Permission = "read" | "operate" | "admin";

export type Principal =
  | { kind: "user"; userId: string; email: string; name: string; role: Role; sessionId: string }
  | { kind: "admin_token" }
  | { kind: "api_key"; keyId: string; projectId: string; scopes: Scope[]; label: string };

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
const ROLE_FOR: Record<Permission, Role> = { read: "viewer", operate: "operator", admin: "admin" };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/**
 * Users and the admin token act in every project; an API key only in its own and only
 * within its scopes. Administration (users, keys) is never granted to API keys.
 */
export function can(principal: Principal, permission: Permission, projectId: string): boolean {
  switch (principal.kind) {
    case "admin_token":
      return true;
    case "user":
      return roleAtLeast(principal.role, ROLE_FOR[permission]);
    case "api_key":
      if (principal.projectId !== projectId || permission === "admin") return false;
      return principal.scopes.includes(permission);
  }
}

export function principalLabel(p: Principal): string {
  if (p.kind === "user") return p.email;
  if (p.kind === "admin_token") return "admin token";
  return `API key ${p.label}`;
}
