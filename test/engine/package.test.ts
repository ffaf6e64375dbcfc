import { strict as assert } from "node:assert";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import {
    existsSync,
    mkdirSync,
    mkdtempSync,
    readFileSync,
    readdirSync,
    rmSync,
    statSync,
    writeFileSync
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { CompletionClient } from "../support/completionClient";
import { EngineProcess } from "../support/engineProcess";
import { REPO_ROOT, requireModel } from "../support/models";

interface PlannedPackage {
    name: string;
    folder: string;
    version: string;
    integrity: string;
}
interface TargetsModule {
    TARGETS: Record<string, { binaries: string[]; os: string; cpu: string; acceleration: string }>;
    checkBinaries(target: string, files: string[], readHead: (file: string) => Buffer): string[];
    binaryFormat(head: Buffer): { os: string; cpus: string[] } | undefined;
    planTarget(lock: unknown, target: string): PlannedPackage[];
    readHead(file: string): Buffer;
}

const loadTargets = async (): Promise<TargetsModule> => {
    const url = pathToFileURL(path.join(REPO_ROOT, "scripts/packageTargets.mjs")).href;
    return (await import(url)) as TargetsModule;
};
const lock = () =>
    JSON.parse(readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")) as unknown;

function pack(args: string[]): void {
    execFileSync(process.execPath, [path.join(REPO_ROOT, "scripts/package.mjs"), ...args], {
        cwd: REPO_ROOT,
        stdio: "pipe"
    });
}

function unpack(vsix: string, dest: string): void {
    const unzip = spawnSync("unzip", ["-q", vsix, "-d", dest]);
    if (unzip.error || unzip.status !== 0)
        execFileSync("python3", ["-m", "zipfile", "-e", vsix, dest]);
}

/** Every file of the unpacked extension, relative to its folder, "/" separated. */
function listFiles(dir: string): string[] {
    return (
        readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[]
    )
        .filter((entry) => entry.isFile())
        .map((entry) =>
            path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/")
        );
}

/** Minimal headers of the three executable formats, for the format check. */
function elf(machine: number): Buffer {
    const b = Buffer.alloc(64);
    b.writeUInt32BE(0x7f454c46, 0);
    b.writeUInt16LE(machine, 18);
    return b;
}
function macho(cpu: number): Buffer {
    const b = Buffer.alloc(32);
    b.writeUInt32LE(0xfeedfacf, 0);
    b.writeUInt32LE(cpu, 4);
    return b;
}
function pe(machine: number): Buffer {
    const b = Buffer.alloc(256);
    b.write("MZ", 0, "latin1");
    b.writeUInt32LE(128, 0x3c);
    b.writeUInt32BE(0x50450000, 128);
    b.writeUInt16LE(machine, 132);
    return b;
}

const EXPECTED: Record<string, string[]> = {
    "linux-x64": ["linux-x64", "linux-x64-vulkan"],
    "linux-arm64": ["linux-arm64"],
    "darwin-arm64": ["mac-arm64-metal"],
    "darwin-x64": ["mac-x64"],
    "win32-x64": ["win-x64", "win-x64-vulkan"],
    "win32-arm64": ["win-arm64"]
};

describe("package targets (manifests and binary lists)", () => {
    it("plans exactly the expected binary packages for each of the six targets, pinned by the lock", async () => {
        const { TARGETS, planTarget } = await loadTargets();
        assert.deepEqual(Object.keys(TARGETS).sort(), Object.keys(EXPECTED).sort());
        const nodeLlamaCpp = (lock() as { packages: Record<string, { version: string }> }).packages[
            "node_modules/node-llama-cpp"
        ]!.version;
        for (const [target, folders] of Object.entries(EXPECTED)) {
            const plan = planTarget(lock(), target);
            assert.deepEqual(
                plan.map((p) => p.folder),
                folders,
                target
            );
            for (const p of plan) {
                assert.equal(p.version, nodeLlamaCpp, p.name);
                assert.match(p.integrity, /^sha512-[A-Za-z0-9+/]+=*$/, p.name);
            }
        }
    });

    it("the registry publishes each planned package with the lock's integrity", async () => {
        const { planTarget } = await loadTargets();
        const planned = Object.keys(EXPECTED).flatMap((t) => planTarget(lock(), t));
        const npm = process.platform === "win32" ? "npm.cmd" : "npm";
        await Promise.all(
            planned.map(async (p) => {
                const { stdout } = await promisify(execFile)(
                    npm,
                    ["view", `${p.name}@${p.version}`, "dist.integrity"],
                    { shell: process.platform === "win32" }
                );
                assert.equal(stdout.trim(), p.integrity, p.name);
            })
        );
    });

    it("reads the OS and CPU of ELF, Mach-O and PE headers", async () => {
        const { binaryFormat } = await loadTargets();
        assert.deepEqual(binaryFormat(elf(0xb7)), { os: "linux", cpus: ["arm64"] });
        assert.deepEqual(binaryFormat(macho(0x0100000c)), { os: "darwin", cpus: ["arm64"] });
        assert.deepEqual(binaryFormat(pe(0x8664)), { os: "win32", cpus: ["x64"] });
        assert.equal(binaryFormat(Buffer.from("not a binary at all, just text")), undefined);
    });

    it("refuses a package with a foreign or a missing binary", async () => {
        const { checkBinaries } = await loadTargets();
        const base = "node_modules/@node-llama-cpp";
        const heads = new Map<string, Buffer>();
        const file = (name: string, head: Buffer) => {
            heads.set(name, head);
            return name;
        };
        const good = ["win-x64", "win-x64-vulkan"].flatMap((n) => [
            `${base}/${n}/package.json`,
            file(`${base}/${n}/bins/${n}/llama-addon.node`, pe(0x8664)),
            file(`${base}/${n}/bins/${n}/ggml.dll`, pe(0x8664))
        ]);
        const check = (files: string[]) =>
            checkBinaries("win32-x64", files, (f) => heads.get(f) ?? Buffer.alloc(0)).join("\n");
        assert.equal(check(good), "");
        assert.match(
            check([...good, file(`${base}/win-x64/bins/win-x64/libggml-cpu.so`, elf(0x3e))]),
            /foreign binary for win32-x64 \(linux x64\)/
        );
        assert.match(
            check([...good, file(`${base}/win-x64/bins/win-x64/ggml-arm.dll`, pe(0xaa64))]),
            /foreign binary for win32-x64 \(win32 arm64\)/
        );
        assert.match(
            check([
                ...good,
                file(`${base}/win-x64/bins/win-x64/broken.dll`, Buffer.from("garbage"))
            ]),
            /not a native binary/
        );
        assert.match(
            check([...good, `${base}/linux-x64/bins/linux-x64/llama-addon.node`]),
            /foreign package @node-llama-cpp\/linux-x64/
        );
        assert.match(
            check([...good, "node_modules/@reflink/reflink-win32-x64-msvc/reflink.node"]),
            /native file outside/
        );
        assert.match(
            check(good.filter((f) => !f.includes("vulkan/bins"))),
            /missing .*win-x64-vulkan\/llama-addon\.node/
        );
    });

    it("engines.vscode is the API version the code is type-checked against", () => {
        const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
            engines: { vscode: string };
            devDependencies: Record<string, string>;
        };
        const types = manifest.devDependencies["@types/vscode"];
        // Pinned exactly: the type check then admits only the API of that version.
        assert.match(types, /^\d+\.\d+\.\d+$/);
        assert.equal(manifest.engines.vscode, `^${types}`);
        // ...and nothing reaches around the types to API the minimum version may lack.
        const untyped = listFiles(path.join(REPO_ROOT, "src"))
            .filter((f) => f.endsWith(".ts"))
            .filter((f) =>
                /\bvscode\s+as\s+(any|unknown)\b|<any>\s*vscode\b|\(vscode\s+as\b/.test(
                    readFileSync(path.join(REPO_ROOT, "src", f), "utf8")
                )
            );
        assert.deepEqual(untyped, []);
    });
});

/** `npm run package` builds a .vsix whose engine runs on its own, with exactly this platform's binaries. */
describe("packaged .vsix for this platform", () => {
    // Unpacked outside any folder with a node_modules above it (CI's TMPDIR is inside the project),
    // so the engine resolves binary packages from the package alone, as in a user's extensions folder.
    const work = mkdtempSync(
        path.join(process.platform === "win32" ? os.tmpdir() : "/tmp", "apprentice-vsix-")
    );
    const vsix = path.join(work, "apprentice.vsix");
    const unpacked = path.join(work, "unpacked");
    before(() => {
        pack(["--out", vsix]);
        unpack(vsix, unpacked);
    });
    after(() => rmSync(work, { recursive: true, force: true }));

    it("holds the bundles, the manifest, the icon and node-llama-cpp, and no source maps", () => {
        const ext = path.join(unpacked, "extension");
        for (const file of [
            "package.json",
            "dist/extension.js",
            "dist/engine.js",
            "dist/engine.mjs",
            "node_modules/node-llama-cpp/package.json",
            "media/icon.png",
            "changelog.md"
        ]) {
            assert.ok(existsSync(path.join(ext, file)), `${file} is in the package`);
        }
        assert.equal(existsSync(path.join(ext, "dist/extension.js.map")), false);
        assert.equal(
            existsSync(path.join(ext, "node_modules/vscode-languageclient")),
            false,
            "bundled dependencies are not shipped twice"
        );
        assert.equal(existsSync(path.join(ext, "src")), false, "sources are not shipped");
    });

    it("ships node-llama-cpp's JavaScript as two bundles, so vsce has no file-count warning", () => {
        const ext = path.join(unpacked, "extension");
        assert.deepEqual(readdirSync(path.join(ext, "node_modules")).sort(), [
            "@node-llama-cpp",
            "node-llama-cpp"
        ]);
        const nlc = listFiles(path.join(ext, "node_modules/node-llama-cpp"));
        assert.deepEqual(nlc.filter((f) => f.startsWith("dist/")).sort(), [
            "dist/bindings/utils/testBindingBinary.js",
            "dist/index.js"
        ]);
        assert.ok(nlc.includes("llama/binariesGithubRelease.json"), nlc.join(", "));
        const manifest = JSON.parse(
            readFileSync(path.join(ext, "node_modules/node-llama-cpp/package.json"), "utf8")
        ) as { dependencies?: unknown; version: string };
        assert.equal(manifest.dependencies, undefined, "its dependencies are in the bundle");
        const javascript = listFiles(ext).filter((f) => f.endsWith(".js"));
        // vsce warns above 100 .js files; this package's own are a handful.
        assert.ok(javascript.length <= 12, javascript.join(", "));
    });

    it("carries exactly this platform's binaries: CPU and Vulkan on linux-x64, no CUDA", async () => {
        const { checkBinaries, readHead } = await loadTargets();
        const target = `${process.platform}-${process.arch}`;
        const files = listFiles(path.join(unpacked, "extension"));
        assert.deepEqual(
            checkBinaries(target, files, (f) => readHead(path.join(unpacked, "extension", f))),
            []
        );
        const binaries = readdirSync(
            path.join(unpacked, "extension/node_modules/@node-llama-cpp")
        ).sort();
        assert.deepEqual(binaries, EXPECTED[target]);
        assert.equal(
            binaries.some((b) => /cuda/.test(b)),
            false,
            binaries.join(", ")
        );
        const sizeMiB = statSync(vsix).size / 1024 / 1024;
        assert.ok(sizeMiB < 60, `the package is ${sizeMiB.toFixed(1)} MiB`);
    });

    it("its engine starts from the unpacked extension, loads the coder model and completes", async () => {
        const engine = EngineProcess.spawn({}, path.join(unpacked, "extension/dist/engine.js"));
        try {
            await engine.initialize({
                modelPath: requireModel("coder-48m-fim-q8_0.gguf"),
                threads: 1
            });
            const status = await engine.waitForSettled(60_000, 0);
            assert.equal(status.state, "ready", JSON.stringify(status));
            const client = new CompletionClient(engine);
            const uri = "file:///work/add.js";
            await client.open(uri, "function add(a, b) {\n    return ", "javascript");
            const result = await client.complete(uri, { line: 1, character: 11 }, {}, true);
            assert.ok(
                result.items.some(
                    (item) => typeof item.insertText === "string" && item.insertText.trim() !== ""
                ),
                JSON.stringify(result)
            );
        } finally {
            await engine.shutdown();
        }
    });
    it(
        "offers the CUDA build on an NVIDIA machine, and not once it is in the binaries folder",
        {
            skip:
                process.platform !== "linux" || process.arch !== "x64"
                    ? "CUDA packages are linux-x64's here"
                    : false
        },
        async () => {
            const engineJs = path.join(unpacked, "extension/dist/engine.js");
            const env = { APPRENTICE_TEST_ASSUME_NVIDIA: "1" };
            const folder = path.join(work, "binaries");
            const offer = async (
                binariesFolder: string | undefined
            ): Promise<boolean | undefined> => {
                const engine = EngineProcess.spawn(env, engineJs);
                try {
                    await engine.initialize(
                        { modelPath: requireModel("tiny-fim-random.gguf"), threads: 1 },
                        binariesFolder
                    );
                    const status = await engine.waitForSettled(60_000, 0);
                    assert.equal(status.state, "ready", JSON.stringify(status));
                    return status.state === "ready" ? status.model.cudaOffer : undefined;
                } finally {
                    await engine.shutdown();
                }
            };
            assert.equal(await offer(folder), true, "an NVIDIA GPU and no CUDA build: offered");
            for (const name of ["linux-x64-cuda", "linux-x64-cuda-ext"]) {
                mkdirSync(path.join(folder, name, "dist"), { recursive: true });
                writeFileSync(
                    path.join(folder, name, "package.json"),
                    JSON.stringify({
                        name: `@node-llama-cpp/${name}`,
                        version: "0.0.0",
                        main: "dist/index.js"
                    })
                );
                writeFileSync(
                    path.join(folder, name, "dist/index.js"),
                    "export function getBinsDir() { return {}; }\n"
                );
            }
            assert.equal(
                await offer(folder),
                false,
                "the downloaded build is found at the next start"
            );
        }
    );
});

/** One foreign target packed in full (Apple silicon: the Metal build), fetched from the registry. */
describe("packaged .vsix for another platform (darwin-arm64)", () => {
    const work = mkdtempSync(path.join(os.tmpdir(), "apprentice-vsix-mac-"));
    const unpacked = path.join(work, "unpacked");
    before(() => {
        pack(["--target", "darwin-arm64", "--out-dir", work]);
        unpack(path.join(work, "apprentice-darwin-arm64-0.1.0.vsix"), unpacked);
    });
    after(() => rmSync(work, { recursive: true, force: true }));

    it("holds the Metal build and nothing of Linux or Windows", async () => {
        const { checkBinaries, readHead } = await loadTargets();
        const files = listFiles(path.join(unpacked, "extension"));
        assert.deepEqual(
            checkBinaries("darwin-arm64", files, (f) =>
                readHead(path.join(unpacked, "extension", f))
            ),
            []
        );
        assert.deepEqual(
            readdirSync(path.join(unpacked, "extension/node_modules/@node-llama-cpp")),
            ["mac-arm64-metal"]
        );
        assert.ok(
            files.some((f) => f.endsWith(".dylib")),
            "the macOS libraries are there"
        );
        assert.equal(
            files.some((f) => f.endsWith(".dll")),
            false
        );
        const manifest = readFileSync(path.join(unpacked, "extension.vsixmanifest"), "utf8");
        assert.match(manifest, /TargetPlatform="darwin-arm64"/);
    });
});
