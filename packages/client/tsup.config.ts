import { defineConfig } from "tsup";

// Producers install this package outside the workspace, where the private `@dealgraph/*`
// packages do not exist: their code and types are bundled in; zod stays a dependency so a
// producer's own zod and the client's answers agree.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["cjs", "esm"],
  platform: "node",
  target: "node20",
  outDir: "dist",
  clean: true,
  sourcemap: true,
  noExternal: [/^@dealgraph\//],
  external: ["zod"],
  tsconfig: "tsconfig.build.json",
  dts: { resolve: [/^@dealgraph\//] },
});
