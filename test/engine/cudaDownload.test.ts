import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import {
    cpSync,
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
import { after, before, beforeEach, describe, it } from "node:test";
import * as tar from "tar";
import {
    CudaInstallRequest,
    CudaProgressNotification,
    type CudaProgress
} from "../../src/shared/accelerationProtocol";
import { CudaInstallError, installCuda } from "../../src/engine/acceleration/cudaInstaller";
import { installedBinaryPackages } from "../../src/engine/acceleration/binaryOverrides";
import { EngineProcess } from "../support/engineProcess";
import { ModelServer } from "../support/modelServer";
import { REPO_ROOT, requireModel } from "../support/models";

const VERSION = (
    JSON.parse(
        readFileSync(path.join(REPO_ROOT, "node_modules/node-llama-cpp/package.json"), "utf8")
    ) as { version: string }
).version;
const SOURCE = path.join(REPO_ROOT, "node_modules/@node-llama-cpp/linux-x64");
const PACKAGES = ["linux-x64-cuda", "linux-x64-cuda-ext"];

/**
 * The registry's files for a package built from the real `@node-llama-cpp/linux-x64` (its manifest,
 * entry point, addon and libraries), renamed `name`: the tarball and the version document.
 */
async function buildPackage(
    work: string,
    name: string
): Promise<{ tgz: string; doc: string; integrity: string }> {
    const stage = path.join(work, `stage-${name}`, "package");
    mkdirSync(path.join(stage, "bins", name), { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(SOURCE, "package.json"), "utf8")) as Record<
        string,
        unknown
    >;
    writeFileSync(
        path.join(stage, "package.json"),
        JSON.stringify({ ...manifest, name: `@node-llama-cpp/${name}` }, null, 2)
    );
    cpSync(path.join(SOURCE, "dist"), path.join(stage, "dist"), { recursive: true });
    for (const file of [
        "_nlcBuildMetadata.json",
        "llama-addon.node",
        "libggml-base.so",
        "libllama.v0.4.0.so"
    ]) {
        cpSync(path.join(SOURCE, "bins", "linux-x64", file), path.join(stage, "bins", name, file));
    }
    const tgz = path.join(work, `${name}-${VERSION}.tgz`);
    await tar.c({ gzip: true, file: tgz, cwd: path.dirname(stage) }, ["package"]);
    const integrity = `sha512-${createHash("sha512").update(readFileSync(tgz)).digest("base64")}`;
    const doc = path.join(work, `${name}.json`);
    return { tgz, doc, integrity };
}

function writeDoc(doc: string, name: string, tarball: string, integrity: string): void {
    writeFileSync(
        doc,
        JSON.stringify({
            name: `@node-llama-cpp/${name}`,
            version: VERSION,
            dist: { tarball, integrity }
        })
    );
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<CudaInstallError> {
    try {
        await promise;
    } catch (error) {
        assert.ok(
            error instanceof CudaInstallError,
            `expected a CudaInstallError, got ${String(error)}`
        );
        assert.equal(error.code, code, error.message);
        assert.ok(error.action.length > 0);
        return error;
    }
    assert.fail(`expected ${code}`);
}

describe(
    "CUDA build on request, from a registry on 127.0.0.1",
    {
        skip: existsSync(SOURCE)
            ? false
            : "needs node_modules/@node-llama-cpp/linux-x64 to build the test packages"
    },
    () => {
        const work = mkdtempSync(path.join(os.tmpdir(), "apprentice-cuda-"));
        const built: Record<string, { tgz: string; doc: string; integrity: string }> = {};
        let server: ModelServer;
        let folder: string;
        const tarballPath = (name: string) => `/@node-llama-cpp/${name}/-/${name}-${VERSION}.tgz`;
        const resetDocs = () => {
            for (const name of PACKAGES)
                writeDoc(
                    built[name]!.doc,
                    name,
                    `${server.base}${tarballPath(name)}`,
                    built[name]!.integrity
                );
        };
        const install = (options: Partial<Parameters<typeof installCuda>[0]> = {}) =>
            installCuda({
                folder,
                packages: PACKAGES,
                version: VERSION,
                registry: server.base,
                ...options
            });

        before(async () => {
            for (const name of PACKAGES) built[name] = await buildPackage(work, name);
            const files: Record<string, string> = {};
            for (const name of PACKAGES) {
                files[`/@node-llama-cpp/${name}/${VERSION}`] = built[name]!.doc;
                files[tarballPath(name)] = built[name]!.tgz;
            }
            server = await ModelServer.start(files);
        });
        after(async () => {
            await server.close();
            rmSync(work, { recursive: true, force: true });
        });
        beforeEach(() => {
            server.behaviour = {};
            server.requests.length = 0;
            resetDocs();
            folder = mkdtempSync(path.join(work, "binaries-"));
        });

        it("downloads both packages with progress, checks the published sha512 and unpacks them into place", async () => {
            const events: CudaProgress[] = [];
            const result = await install({ onProgress: (p) => events.push(p) });
            assert.deepEqual(
                result.packages,
                PACKAGES.map((n) => `@node-llama-cpp/${n}`)
            );
            assert.equal(
                result.downloadedBytes,
                PACKAGES.reduce((sum, n) => sum + statSync(built[n]!.tgz).size, 0)
            );
            assert.deepEqual(
                installedBinaryPackages(folder)
                    .map((p) => p.name)
                    .sort(),
                result.packages
            );
            for (const name of PACKAGES) {
                assert.deepEqual(
                    readFileSync(path.join(folder, name, "bins", name, "llama-addon.node")),
                    readFileSync(path.join(SOURCE, "bins/linux-x64/llama-addon.node"))
                );
            }
            assert.deepEqual(
                readdirSync(folder).sort(),
                [...PACKAGES].sort(),
                "no download or staging folder is left"
            );
            assert.ok(
                events.some((e) => e.index === 1) && events.some((e) => e.index === 2),
                "progress for each package"
            );
            const last = events.filter((e) => e.index === 2).at(-1)!;
            assert.equal(last.receivedBytes, last.totalBytes);
            assert.equal(last.count, 2);
        });

        it("resumes a cut download with a Range request", async () => {
            const name = PACKAGES[0]!;
            const size = statSync(built[name]!.tgz).size;
            server.behaviour = { cutAfterBytes: Math.floor(size / 2), cutOnly: /\.tgz$/ };
            const first = await rejectsWith(install(), "interrupted");
            assert.match(first.message, /interrupted/);
            assert.equal(
                installedBinaryPackages(folder).length,
                0,
                "nothing is installed from half a download"
            );
            await install();
            assert.ok(
                server.requests.some(
                    (r) =>
                        r.url === tarballPath(name) && r.range === `bytes=${Math.floor(size / 2)}-`
                ),
                JSON.stringify(server.requests)
            );
            assert.equal(installedBinaryPackages(folder).length, 2);
        });

        it("refuses a tarball that does not match the registry's integrity, and installs nothing", async () => {
            writeDoc(
                built[PACKAGES[1]!]!.doc,
                PACKAGES[1]!,
                `${server.base}${tarballPath(PACKAGES[1]!)}`,
                built[PACKAGES[0]!]!.integrity
            );
            const error = await rejectsWith(install(), "checksumMismatch");
            assert.match(error.message, /does not match the registry's published integrity/);
            assert.equal(installedBinaryPackages(folder).length, 0);
            assert.equal(
                existsSync(path.join(folder, ".downloads", `${PACKAGES[1]}-${VERSION}.tgz`)),
                false,
                "the bad file is deleted"
            );
        });

        it("cancels mid-way and leaves nothing behind", async () => {
            server.behaviour = { throttleBytesPer10ms: 16 * 1024 };
            const abort = new AbortController();
            await rejectsWith(
                install({
                    signal: abort.signal,
                    onProgress: (p) => {
                        if (p.receivedBytes > 64 * 1024) abort.abort();
                    }
                }),
                "cancelled"
            );
            assert.deepEqual(readdirSync(folder), [], "no part file, no package");
        });

        it("says plainly when the registry cannot be reached, and changes nothing", async () => {
            const error = await rejectsWith(install({ registry: "http://127.0.0.1:9" }), "offline");
            assert.match(error.message, /npm registry.*Nothing was changed/);
            assert.equal(installedBinaryPackages(folder).length, 0);
        });

        it(
            "the engine installs it on request and finds it at its next start",
            {
                skip:
                    process.platform !== "linux" || process.arch !== "x64"
                        ? "the CUDA packages are linux-x64's"
                        : false
            },
            async () => {
                const env = { APPRENTICE_NPM_REGISTRY: server.base };
                const first = EngineProcess.spawn(env);
                const progress: CudaProgress[] = [];
                try {
                    await first.initialize(
                        { modelPath: requireModel("tiny-fim-random.gguf"), threads: 1 },
                        folder
                    );
                    first.connection.onNotification(
                        CudaProgressNotification.method,
                        (p: CudaProgress) => {
                            progress.push(p);
                        }
                    );
                    const result = await first.connection.sendRequest(CudaInstallRequest.type);
                    assert.deepEqual(
                        result.packages,
                        PACKAGES.map((n) => `@node-llama-cpp/${n}`)
                    );
                    assert.ok(progress.length > 0, "progress notifications");
                } finally {
                    await first.shutdown();
                }
                const next = EngineProcess.spawn(env);
                try {
                    await next.initialize(
                        { modelPath: requireModel("tiny-fim-random.gguf"), threads: 1, gpu: "off" },
                        folder
                    );
                    await next.waitForSettled(120_000, 0);
                    assert.ok(
                        next.logs.some(
                            (line) =>
                                line ===
                                `Binary packages from ${folder}: ${PACKAGES.map((n) => `@node-llama-cpp/${n}`).join(", ")}.`
                        ),
                        JSON.stringify(next.logs)
                    );
                } finally {
                    await next.shutdown();
                }
            }
        );
    }
);
