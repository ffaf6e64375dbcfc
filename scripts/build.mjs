// Bundles the extension (CommonJS), the engine (ESM, node-llama-cpp external) and the webview (browser).
// Usage: node scripts/build.mjs [--tests] [--production]
import * as esbuild from "esbuild";
import { copyFile, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const common = (production) => ({
    bundle: true,
    sourcemap: production ? false : "linked",
    minify: production,
    logLevel: "warning",
    absWorkingDir: root,
    target: "es2022"
});

async function listTests(dir) {
    const out = [];
    for (const entry of await readdir(path.join(root, dir), { withFileTypes: true }).catch(
        () => []
    )) {
        const rel = path.join(dir, entry.name);
        if (entry.isDirectory()) out.push(...(await listTests(rel)));
        else if (/\.ts$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(rel);
    }
    return out;
}

/** Builds into `outRoot` (default: the repository): `dist/` and `media/dist/`. */
export async function build({ production = false, outRoot = root } = {}) {
    await rm(path.join(outRoot, "dist"), { recursive: true, force: true });
    await rm(path.join(outRoot, "media", "dist"), { recursive: true, force: true });
    await mkdir(path.join(outRoot, "dist"), { recursive: true });
    await Promise.all([
        esbuild.build({
            ...common(production),
            entryPoints: ["src/extension/extension.ts"],
            outfile: path.join(outRoot, "dist/extension.js"),
            platform: "node",
            format: "cjs",
            external: ["vscode"]
        }),
        esbuild.build({
            ...common(production),
            entryPoints: ["src/engine/main.ts"],
            outfile: path.join(outRoot, "dist/engine.mjs"),
            platform: "node",
            format: "esm",
            // node-llama-cpp ships native binaries and must stay in node_modules.
            external: ["node-llama-cpp"],
            // Bundled CommonJS dependencies call require(); give them one.
            banner: {
                js: "import { createRequire as __apprenticeCreateRequire } from 'node:module'; const require = __apprenticeCreateRequire(import.meta.url);"
            }
        }),
        esbuild.build({
            ...common(production),
            entryPoints: ["src/webview/main.ts"],
            outfile: path.join(outRoot, "media/dist/webview.js"),
            platform: "browser",
            format: "iife"
        }),
        esbuild.build({
            ...common(production),
            entryPoints: ["src/webview/stats/main.ts"],
            outfile: path.join(outRoot, "media/dist/stats.js"),
            platform: "browser",
            format: "iife"
        })
    ]);
    // The webviews' icons: VS Code's codicon font and its stylesheet, served from the extension under the strict CSP.
    const codicons = path.join(outRoot, "media", "dist", "codicons");
    await mkdir(codicons, { recursive: true });
    for (const file of ["codicon.css", "codicon.ttf"])
        await copyFile(
            path.join(root, "node_modules", "@vscode", "codicons", "dist", file),
            path.join(codicons, file)
        );
    // node-llama-cpp is ESM with top-level await, so the engine is an ES module; this launcher keeps
    // the documented entry point `node dist/engine.js --stdio` working from CommonJS.
    await writeFile(
        path.join(outRoot, "dist/engine.js"),
        '"use strict";\nimport(require("node:url").pathToFileURL(require("node:path").join(__dirname, "engine.mjs")).href)' +
            ".catch((error) => { process.stderr.write(`Apprentice engine failed to start: ${error && error.stack || error}\\n`); process.exit(70); });\n"
    );
}

export async function buildTests() {
    await rm(path.join(root, "out"), { recursive: true, force: true });
    const entryPoints = [
        ...(await listTests("test/unit")),
        ...(await listTests("test/engine")),
        ...(await listTests("test/vscode")),
        ...(await listTests("test/support"))
    ];
    if (entryPoints.length === 0) return;
    await esbuild.build({
        ...common(false),
        sourcemap: "inline",
        entryPoints,
        outdir: "out",
        outbase: ".",
        platform: "node",
        format: "cjs",
        packages: "external",
        external: ["vscode"]
    });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const started = Date.now();
    await build({ production: args.has("--production") });
    if (args.has("--tests")) await buildTests();
    console.log(`build: done in ${Date.now() - started} ms`);
}
