/** Architecture rules checked by `npm run lint` (dependency-cruiser). */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "Import cycles make stages impossible to reason about.",
      from: {},
      to: { circular: true },
    },
    {
      name: "collector-not-ui",
      severity: "error",
      comment: "The collector is its own process on the hot path: it never loads the web app or React.",
      from: { path: "^collector/" },
      to: { path: "^(app|components)/|node_modules/(react|react-dom|next)/" },
    },
    {
      name: "collector-not-prisma",
      severity: "error",
      comment: "The collector talks to Postgres through pg: Prisma's query engine alone would add ~70 MB to it.",
      from: { path: "^collector/(main|ingest/worker)\\.ts$" },
      to: { path: "^lib/server/db/prisma\\.ts$|^lib/generated/|node_modules/@prisma/", reachable: true },
    },
    {
      name: "lib-not-ui",
      severity: "error",
      comment: "Domain logic in lib/ stays free of pages and components.",
      from: { path: "^lib/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "components-not-server",
      severity: "error",
      comment: "Components only render: data access goes through pages and the API.",
      from: { path: "^components/" },
      to: { path: "^(lib/server|collector)/" },
    },
    {
      name: "agent-client-standalone",
      severity: "error",
      comment: "The agent-side control client is a package subpath export: no server code.",
      from: { path: "^lib/agent/" },
      to: { path: "^(lib/server|collector|app|components)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(lib/generated|\\.next)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      extensions: [".ts", ".tsx", ".js", ".mjs"],
    },
  },
};
