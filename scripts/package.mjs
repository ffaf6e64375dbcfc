// `npm run package`: builds the production bundles and packs a platform-specific .vsix holding the
// bundles, media, node-llama-cpp (its JavaScript bundled, scripts/bundleNodeLlamaCpp.mjs) and exactly
// the target's llama.cpp binaries (scripts/packageTargets.mjs); vsce's warnings fail the run. The
// binary packages are fetched from the npm registry (`npm pack`,
// npm's cache is used when it has them) at the version in package-lock.json and checked against the
// lock's sha512 integrity; what is installed in node_modules/@node-llama-cpp is never shipped.
// Usage: node scripts/package.mjs [--target linux-x64 | --all] [--out file.vsix] [--out-dir folder]
//        node scripts/package.mjs --plan [--all | --target T]   (print the binary plan as JSON, fetch nothing)
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
    cpSync,
    existsSync,
    mkdirSync,
    readFileSync,
    rmSync,
    statSync,
    writeFileSync
} from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "./build.mjs";
import { bundleNodeLlamaCpp } from "./bundleNodeLlamaCpp.mjs";
import { SCOPE, TARGETS, checkBinaries, planTarget, readHead } from "./packageTargets.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

/** Files of node-llama-cpp that are never needed at run time (its JavaScript is bundled instead). */
const DROP = [
    /^dist\//,
    /^node_modules\//,
    /\.map$/,
    /\.d\.ts$/,
    /\.d\.mts$/,
    /^llama\/gitRelease\.bundle$/,
    /^llama\/addon\//,
    /^templates\//
];

/**
 * node-llama-cpp in the stage: its package.json (without the dependencies, which are bundled, and
 * the CLI, which is not shipped), its llama/ folder, and its JavaScript and the JavaScript of its
 * dependencies bundled into two files (scripts/bundleNodeLlamaCpp.mjs). The binary packages
 * (@node-llama-cpp/*) come from the registry per target. Returns the number of files bundled.
 */
async function stageNodeLlamaCpp(stage) {
    const source = path.join(root, "node_modules", "node-llama-cpp");
    const dest = path.join(stage, "node_modules", "node-llama-cpp");
    cpSync(source, dest, {
        recursive: true,
        filter: (src) => {
            const inside = path.relative(source, src).split(path.sep).join("/");
            return !DROP.some((re) => re.test(inside));
        }
    });
    const pkg = JSON.parse(readFileSync(path.join(source, "package.json"), "utf8"));
    const { dependencies: _deps, bin: _bin, ...shipped } = pkg;
    writeFileSync(path.join(dest, "package.json"), JSON.stringify(shipped, null, 2));
    return bundleNodeLlamaCpp(source, dest);
}

/** vsce's warnings (printed with console.warn) while `action` runs. */
async function collectWarnings(action) {
    const warnings = [];
    const warn = console.warn;
    console.warn = (...args) => warnings.push(args.join(" "));
    try {
        return { result: await action(), warnings };
    } finally {
        console.warn = warn;
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
    const bundled = await stageNodeLlamaCpp(stage);
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
    return bundled;
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
    const bundled = await stageCommon(common, manifest);
    const { createVSIX, listFiles } = require("@vscode/vsce");
    const results = [];
    try {
        for (const target of args.targets) {
            const stage = path.join(work, target);
            rmSync(stage, { recursive: true, force: true });
            cpSync(common, stage, { recursive: true });
            await addBinaries(stage, plans[target], cacheDir);
            const listed = await collectWarnings(() => listFiles({ cwd: stage, useYarn: false }));
            const files = listed.result.map((f) => f.split(path.sep).join("/"));
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
            const { warnings } = await collectWarnings(() =>
                createVSIX({
                    cwd: stage,
                    packagePath: out,
                    useYarn: false,
                    target,
                    allowStarActivation: false,
                    allowMissingRepository: true,
                    rewriteRelativeLinks: false
                })
            );
            warnings.unshift(...listed.warnings);
            if (warnings.length > 0) {
                rmSync(out, { force: true });
                throw new Error(
                    `vsce warned about the ${target} package (it was deleted):\n  ${warnings.join("\n  ")}`
                );
            }
            rmSync(stage, { recursive: true, force: true });
            const mib = statSync(out).size / 1024 / 1024;
            results.push({
                target,
                file: out,
                mib,
                files: files.length,
                javascript: files.filter((f) => f.endsWith(".js")).length,
                binaries: plans[target].map((p) => p.name)
            });
            console.log(
                `package: ${path.relative(root, out)} (${target}: ${plans[target].map((p) => p.name).join(", ")}; node-llama-cpp bundled from ${bundled} files; ${files.length} files, ${files.filter((f) => f.endsWith(".js")).length} JavaScript, ${mib.toFixed(1)} MiB)`
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
