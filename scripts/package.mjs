// `npm run package`: builds the production bundles and packs a platform-specific .vsix holding the
// bundles, media, node-llama-cpp's JavaScript and exactly the target's llama.cpp binaries
// (scripts/packageTargets.mjs). The binary packages are fetched from the npm registry (`npm pack`,
// npm's cache is used when it has them) at the version in package-lock.json and checked against the
// lock's sha512 integrity; what is installed in node_modules/@node-llama-cpp is never shipped.
// Usage: node scripts/package.mjs [--target linux-x64 | --all] [--out file.vsix] [--out-dir folder]
//        node scripts/package.mjs --plan [--all | --target T]   (print the binary plan as JSON, fetch nothing)
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
    closeSync,
    cpSync,
    existsSync,
    mkdirSync,
    openSync,
    readFileSync,
    readSync,
    rmSync,
    statSync,
    writeFileSync
} from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "./build.mjs";
import { SCOPE, TARGETS, checkBinaries, planTarget } from "./packageTargets.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

/** Files inside shipped packages that are never needed at run time. */
const DROP = [
    /\.map$/,
    /\.d\.ts$/,
    /\.d\.mts$/,
    /^node-llama-cpp\/llama\/gitRelease\.bundle$/,
    /^node-llama-cpp\/llama\/addon\//,
    /^node-llama-cpp\/templates\//
];

function copyPackage(stage, dir, rel) {
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

/**
 * Copies node-llama-cpp and its JavaScript dependency closure from node_modules. Optional packages
 * built for one OS or CPU (the @node-llama-cpp binaries, @reflink/reflink-<platform>) are left out:
 * what is installed here is this machine's, and the binaries come from the registry per target.
 */
function copyRuntimeDependencies(stage) {
    const seen = new Set();
    const visit = (name, fromDir, optional) => {
        const pkgJson = findPackageJson(name, fromDir);
        if (!pkgJson) {
            if (optional) return;
            throw new Error(`Cannot resolve ${name} from ${fromDir}`);
        }
        const dir = path.dirname(pkgJson);
        if (seen.has(dir)) return;
        const pkg = JSON.parse(readFileSync(pkgJson, "utf8"));
        if (optional && (pkg.os || pkg.cpu)) return;
        seen.add(dir);
        copyPackage(stage, dir, path.relative(path.join(root, "node_modules"), dir));
        for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, false);
        for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
            if (!dep.startsWith(`${SCOPE}/`)) visit(dep, dir, true);
        }
    };
    visit("node-llama-cpp", root, false);
    return seen.size;
}

/** A file's first 4 KiB (enough for the ELF, Mach-O and PE headers). */
export function readHead(file) {
    const fd = openSync(file, "r");
    try {
        const buffer = Buffer.alloc(4096);
        return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
    } finally {
        closeSync(fd);
    }
}

function sriOf(file) {
    return `sha512-${createHash("sha512").update(readFileSync(file)).digest("base64")}`;
}

/** The package's tarball from the registry, checked against the lock's integrity; cached in .artifacts. */
function fetchTarball(pkg, cacheDir) {
    mkdirSync(cacheDir, { recursive: true });
    const file = path.join(cacheDir, `${pkg.name.slice(1).replace("/", "-")}-${pkg.version}.tgz`);
    if (!existsSync(file) || sriOf(file) !== pkg.integrity) {
        rmSync(file, { force: true });
        const npm = process.platform === "win32" ? "npm.cmd" : "npm";
        execFileSync(
            npm,
            ["pack", `${pkg.name}@${pkg.version}`, "--pack-destination", cacheDir, "--silent"],
            {
                cwd: cacheDir,
                stdio: ["ignore", "pipe", "inherit"],
                shell: process.platform === "win32"
            }
        );
        if (!existsSync(file))
            throw new Error(`npm pack ${pkg.name}@${pkg.version} wrote no ${path.basename(file)}`);
        const actual = sriOf(file);
        if (actual !== pkg.integrity) {
            rmSync(file, { force: true });
            throw new Error(
                `${pkg.name}@${pkg.version} from the registry does not match package-lock.json (expected ${pkg.integrity}, got ${actual}); it was deleted.`
            );
        }
    }
    return file;
}

async function addBinaries(stage, plan, cacheDir) {
    const tar = require("tar");
    for (const pkg of plan) {
        const file = fetchTarball(pkg, cacheDir);
        const dest = path.join(stage, "node_modules", SCOPE, pkg.folder);
        mkdirSync(dest, { recursive: true });
        await tar.x({ file, cwd: dest, strip: 1 });
    }
}

/** Bundles, media, the manifest and node-llama-cpp's JavaScript: the part every target shares. */
async function stageCommon(stage, manifest) {
    rmSync(stage, { recursive: true, force: true });
    mkdirSync(stage, { recursive: true });
    await build({ production: true, outRoot: stage });
    const packages = copyRuntimeDependencies(stage);
    for (const item of ["media", "README.md", "CHANGELOG.md", "LICENSE", ".vscodeignore"]) {
        if (!existsSync(path.join(root, item))) continue;
        // media/dist of the working tree holds the development bundle; the stage has its own.
        cpSync(path.join(root, item), path.join(stage, item), {
            recursive: true,
            filter: (src) => !src.startsWith(path.join(root, "media", "dist"))
        });
    }
    const { scripts: _s, devDependencies: _d, ...rest } = manifest;
    writeFileSync(
        path.join(stage, "package.json"),
        JSON.stringify(
            {
                ...rest,
                dependencies: { "node-llama-cpp": manifest.dependencies["node-llama-cpp"] }
            },
            null,
            2
        )
    );
    return packages;
}

function parseArgs(argv) {
    const option = (name) => {
        const i = argv.indexOf(name);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const all = argv.includes("--all");
    const target = option("--target");
    if (all && target) throw new Error("Give --target or --all, not both.");
    const targets = all ? Object.keys(TARGETS) : [target ?? `${process.platform}-${process.arch}`];
    for (const t of targets)
        if (!TARGETS[t])
            throw new Error(
                `Unknown target ${t}; one of ${Object.keys(TARGETS).join(", ")}, or --all.`
            );
    const out = option("--out");
    if (out && targets.length > 1)
        throw new Error("--out names one file; use --out-dir with --all.");
    return {
        targets,
        out,
        outDir: option("--out-dir"),
        plan: argv.includes("--plan"),
        explicitTarget: all || target !== undefined
    };
}

export async function packageTargets(argv) {
    const args = parseArgs(argv);
    const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
    const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8"));
    const plans = Object.fromEntries(args.targets.map((t) => [t, planTarget(lock, t)]));
    if (args.plan) {
        console.log(JSON.stringify(plans, null, 2));
        return [];
    }
    const started = Date.now();
    const work = path.join(root, ".artifacts", "package-stage");
    const common = path.join(work, "common");
    const cacheDir = path.join(root, ".artifacts", "npm-binaries");
    const packages = await stageCommon(common, manifest);
    const { createVSIX, listFiles } = require("@vscode/vsce");
    const results = [];
    try {
        for (const target of args.targets) {
            const stage = path.join(work, target);
            rmSync(stage, { recursive: true, force: true });
            cpSync(common, stage, { recursive: true });
            await addBinaries(stage, plans[target], cacheDir);
            const files = (await listFiles({ cwd: stage, useYarn: false })).map((f) =>
                f.split(path.sep).join("/")
            );
            const problems = checkBinaries(target, files, (file) =>
                readHead(path.join(stage, file))
            );
            if (problems.length > 0)
                throw new Error(
                    `The ${target} package would be wrong:\n  ${problems.join("\n  ")}`
                );
            // Without --target the file keeps its historical name; per-target files follow vsce's naming.
            const name = args.explicitTarget
                ? `${manifest.name}-${target}-${manifest.version}.vsix`
                : `${manifest.name}-${manifest.version}.vsix`;
            const out = args.out
                ? path.resolve(root, args.out)
                : path.join(path.resolve(root, args.outDir ?? "."), name);
            mkdirSync(path.dirname(out), { recursive: true });
            await createVSIX({
                cwd: stage,
                packagePath: out,
                useYarn: false,
                target,
                allowStarActivation: false,
                allowMissingRepository: true,
                rewriteRelativeLinks: false
            });
            rmSync(stage, { recursive: true, force: true });
            const mib = statSync(out).size / 1024 / 1024;
            results.push({
                target,
                file: out,
                mib,
                files: files.length,
                binaries: plans[target].map((p) => p.name)
            });
            console.log(
                `package: ${path.relative(root, out)} (${target}: ${plans[target].map((p) => p.name).join(", ")}; ${packages} runtime packages, ${files.length} files, ${mib.toFixed(1)} MiB)`
            );
        }
    } finally {
        rmSync(work, { recursive: true, force: true });
    }
    console.log(
        `packaged ${results.length} target(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`
    );
    return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    try {
        await packageTargets(process.argv.slice(2));
    } catch (error) {
        console.error(`package: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
    }
}
