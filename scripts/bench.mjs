// `npm run bench`: builds the engine and the benchmark bundle, then runs test/bench/main.ts.
// Not part of `npm test`. Options: see `npm run bench -- --help`.
import * as esbuild from "esbuild";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "./build.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
if (!argv.includes("--engine")) await build();
// Bundled into out/test/bench so that test/support finds the repository three folders up, as in tests.
await esbuild.build({
    absWorkingDir: root,
    entryPoints: ["test/bench/main.ts", "test/bench/directLoadChild.ts"],
    outdir: "out/test/bench",
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "es2022",
    sourcemap: "inline",
    packages: "external",
    logLevel: "warning"
});
const result = spawnSync(process.execPath, [path.join(root, "out/test/bench/main.js"), ...argv], {
    cwd: root,
    stdio: "inherit"
});
process.exit(result.status ?? 1);
