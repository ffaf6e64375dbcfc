import { strict as assert } from "node:assert";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import type { EngineStatus } from "../../src/shared/status";
import { EngineProcess } from "../support/engineProcess";
import { REPO_ROOT, requireModel } from "../support/models";

const MODEL = requireModel("tiny-fim-random.gguf");

/** A copy of the installed Vulkan package whose llama.cpp addon is garbage: a damaged download. */
function damagedVulkanPackage(folder: string): void {
    const source = path.join(REPO_ROOT, "node_modules/@node-llama-cpp/linux-x64-vulkan");
    const dest = path.join(folder, "linux-x64-vulkan");
    for (const item of ["package.json", "dist"])
        cpSync(path.join(source, item), path.join(dest, item), { recursive: true });
    const bins = path.join(dest, "bins/linux-x64-vulkan");
    mkdirSync(bins, { recursive: true });
    cpSync(
        path.join(source, "bins/linux-x64-vulkan/_nlcBuildMetadata.json"),
        path.join(bins, "_nlcBuildMetadata.json")
    );
    writeFileSync(
        path.join(bins, "llama-addon.node"),
        Buffer.from("\x7fELF this is not a shared library any more")
    );
}

async function readyOnCpu(
    engine: EngineProcess
): Promise<Extract<EngineStatus, { state: "ready" }>> {
    const status = await engine.waitForSettled(120_000, 0);
    assert.equal(status.state, "ready", JSON.stringify(status));
    return status as Extract<EngineStatus, { state: "ready" }>;
}

describe(
    "a GPU backend that cannot load falls back to the CPU with one note",
    {
        skip:
            process.platform !== "linux" || process.arch !== "x64"
                ? "the damaged package is the linux-x64 Vulkan one"
                : false
    },
    () => {
        const folder = mkdtempSync(path.join(os.tmpdir(), "apprentice-binaries-"));
        after(() => rmSync(folder, { recursive: true, force: true }));

        it("forced Vulkan on a machine without a usable Vulkan GPU", async () => {
            const engine = EngineProcess.spawn();
            try {
                await engine.initialize({ modelPath: MODEL, threads: 1, gpu: "vulkan" });
                const status = await readyOnCpu(engine);
                assert.equal(status.model.device, "cpu");
                assert.equal(status.model.gpuLayers, 0);
                assert.match(
                    status.model.note ?? "",
                    /^Vulkan could not be used .*Running on the CPU\.$/
                );
                const notes = engine.logs.filter((line) =>
                    line.includes("Vulkan could not be used")
                );
                assert.equal(
                    notes.length,
                    1,
                    `one note in the log: ${JSON.stringify(engine.logs)}`
                );
                assert.equal(engine.exitCode, undefined, "no crash");
            } finally {
                await engine.shutdown();
            }
        });

        it("a damaged Vulkan build from the binaries folder", async () => {
            damagedVulkanPackage(folder);
            const engine = EngineProcess.spawn();
            try {
                await engine.initialize({ modelPath: MODEL, threads: 1, gpu: "vulkan" }, folder);
                const status = await readyOnCpu(engine);
                assert.equal(status.model.device, "cpu");
                assert.match(
                    status.model.note ?? "",
                    /Vulkan could not be used .*damaged.*Running on the CPU/
                );
                assert.ok(
                    engine.logs.some((line) =>
                        line.includes(
                            `Binary packages from ${folder}: @node-llama-cpp/linux-x64-vulkan`
                        )
                    ),
                    JSON.stringify(engine.logs)
                );
                assert.equal(engine.exitCode, undefined, "no crash");
            } finally {
                await engine.shutdown();
            }
        });
    }
);
