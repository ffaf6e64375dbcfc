// `npm run package`: builds the production bundles and packs a .vsix for this platform that holds
// the bundles, media, and node-llama-cpp with only this platform's CPU/Metal binary (no CUDA or Vulkan).
// Usage: node scripts/package.mjs [--target linux-x64] [--out file.vsix]
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "./build.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const option = (name, fallback) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : fallback; };
const target = option("--target", `${process.platform}-${process.arch}`);
const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const out = path.resolve(root, option("--out", `${manifest.name}-${manifest.version}.vsix`));
const stage = path.join(root, ".artifacts", "package-stage");

/** The node-llama-cpp binary package this target needs; every other @node-llama-cpp/* is left out. */
function binaryPackageFor(t) {
    const map = { "linux-x64": "linux-x64", "linux-arm64": "linux-arm64", "linux-arm": "linux-armv7l", "darwin-arm64": "mac-arm64-metal", "darwin-x64": "mac-x64", "win32-x64": "win-x64", "win32-arm64": "win-arm64" };
    if (!map[t]) throw new Error(`No node-llama-cpp binary for target ${t}`);
    return `@node-llama-cpp/${map[t]}`;
}

/** Files inside shipped packages that are never needed at run time. */
const DROP = [/\.map$/, /\.d\.ts$/, /\.d\.mts$/, /^node-llama-cpp\/llama\/gitRelease\.bundle$/, /^node-llama-cpp\/llama\/addon\//, /^node-llama-cpp\/templates\//];

function copyPackage(dir, rel) {
    const dest = path.join(stage, "node_modules", rel);
    cpSync(dir, dest, {
        recursive: true,
        filter: (src) => {
            const inside = path.relative(dir, src).split(path.sep).join("/");
            if (inside === "node_modules" || inside.startsWith("node_modules/")) return false;
            const shipped = `${rel.replace(/^.*node_modules\//, "")}/${inside}`;
            return !DROP.some((re) => re.test(shipped));
        }
    });
}

/** Node's lookup of a package folder: node_modules/<name> in this folder and each parent (ignores "exports"). */
function findPackageJson(name, fromDir) {
    for (let dir = fromDir; ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "node_modules", name, "package.json");
        if (existsSync(candidate)) return candidate;
        if (dir === path.dirname(dir) || !dir.startsWith(root)) return undefined;
    }
}

/** Copies node-llama-cpp and its runtime dependency closure from node_modules, resolved as Node would. */
function copyRuntimeDependencies(binaryPackage) {
    const seen = new Set();
    const visit = (name, fromDir, optional) => {
        const pkgJson = findPackageJson(name, fromDir);
        if (!pkgJson) {
            if (optional) return;
            throw new Error(`Cannot resolve ${name} from ${fromDir}`);
        }
        const dir = path.dirname(pkgJson);
        if (seen.has(dir)) return;
        seen.add(dir);
        copyPackage(dir, path.relative(path.join(root, "node_modules"), dir));
        const pkg = JSON.parse(readFileSync(pkgJson, "utf8"));
        for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, false);
        for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
            if (dep.startsWith("@node-llama-cpp/") && dep !== binaryPackage) continue;
            visit(dep, dir, true);
        }
    };
    visit("node-llama-cpp", root, false);
    if (!existsSync(path.join(stage, "node_modules", binaryPackage))) {
        throw new Error(`${binaryPackage} is not installed; run npm ci on a ${target} machine.`);
    }
    return seen.size;
}

const started = Date.now();
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
await build({ production: true, outRoot: stage });
const binaryPackage = binaryPackageFor(target);
const packages = copyRuntimeDependencies(binaryPackage);
for (const item of ["media", "README.md", "LICENSE", ".vscodeignore"]) {
    if (!existsSync(path.join(root, item))) continue;
    // media/dist of the working tree holds the development bundle; the stage has its own.
    cpSync(path.join(root, item), path.join(stage, item), { recursive: true, filter: (src) => !src.startsWith(path.join(root, "media", "dist")) });
}
const { scripts: _s, devDependencies: _d, ...rest } = manifest;
writeFileSync(path.join(stage, "package.json"), JSON.stringify({ ...rest, dependencies: { "node-llama-cpp": manifest.dependencies["node-llama-cpp"] } }, null, 2));

const { createVSIX } = createRequire(import.meta.url)("@vscode/vsce");
await createVSIX({ cwd: stage, packagePath: out, useYarn: false, target, allowStarActivation: false, skipLicense: true, allowMissingRepository: true, rewriteRelativeLinks: false });
rmSync(stage, { recursive: true, force: true });
const mb = (statSync(out).size / 1024 / 1024).toFixed(1);
console.log(`package: ${path.relative(root, out)} (${target}, ${packages} runtime packages, ${mb} MiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
