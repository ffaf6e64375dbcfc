import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import {
    autoFallbackNote,
    cudaPackagesFor,
    nvidiaDriverPresent,
    shouldOfferCuda,
    ASSUME_NVIDIA_ENV
} from "../../src/engine/acceleration/cudaPackages";
import { describeAcceleration } from "../../src/extension/acceleration/describe";
import type { ModelFacts } from "../../src/shared/status";

const facts = (over: Partial<ModelFacts>): ModelFacts => ({
    name: "m.gguf",
    path: "/m.gguf",
    architecture: "qwen2",
    contextSize: 4096,
    trainContextSize: 32768,
    device: "cpu",
    gpuNames: [],
    gpuLayers: 0,
    threads: 4,
    sizeBytes: 1,
    fim: true,
    chatTemplate: true,
    loadMs: 1,
    ...over
});

describe("acceleration words for the status hover", () => {
    it("names the backend, the GPU and the layers on it", () => {
        assert.equal(
            describeAcceleration(
                facts({
                    device: "vulkan",
                    gpuNames: ["AMD Radeon RX 7600"],
                    gpuLayers: 20,
                    totalLayers: 28
                })
            ),
            "Backend: Vulkan · GPU: AMD Radeon RX 7600 · 20 of 28 layers on the GPU"
        );
        assert.equal(
            describeAcceleration(
                facts({ device: "metal", gpuNames: ["Apple M2"], gpuLayers: 25, totalLayers: 25 })
            ),
            "Backend: Metal · GPU: Apple M2 · 25 of 25 layers on the GPU"
        );
        assert.equal(
            describeAcceleration(facts({ device: "cpu", threads: 1 })),
            "Backend: CPU, 1 thread · no layers on a GPU"
        );
    });
});

describe("CUDA on request", () => {
    it("has CUDA packages only for x64 Linux and Windows", () => {
        assert.deepEqual(cudaPackagesFor("linux", "x64"), ["linux-x64-cuda", "linux-x64-cuda-ext"]);
        assert.deepEqual(cudaPackagesFor("win32", "x64"), ["win-x64-cuda", "win-x64-cuda-ext"]);
        for (const [p, a] of [
            ["linux", "arm64"],
            ["darwin", "arm64"],
            ["darwin", "x64"],
            ["win32", "arm64"]
        ] as const)
            assert.deepEqual(cudaPackagesFor(p, a), []);
    });

    it("sees the NVIDIA driver by its files, and the test hook", () => {
        assert.equal(
            nvidiaDriverPresent("linux", {}, (f) => f === "/proc/driver/nvidia/version"),
            true
        );
        assert.equal(
            nvidiaDriverPresent("linux", {}, () => false),
            false
        );
        assert.equal(
            nvidiaDriverPresent("win32", { SystemRoot: "C:\\Windows" }, (f) =>
                f.endsWith("nvml.dll")
            ),
            true
        );
        assert.equal(
            nvidiaDriverPresent("darwin", {}, () => true),
            false
        );
        assert.equal(
            nvidiaDriverPresent("linux", { [ASSUME_NVIDIA_ENV]: "1" }, () => false),
            true
        );
    });

    it("is offered with an NVIDIA GPU and no CUDA build, and not otherwise", () => {
        const base = {
            gpuSetting: "auto",
            gpuInUse: "vulkan" as const,
            nvidia: true,
            cudaPackages: ["linux-x64-cuda"],
            cudaInstalled: false
        };
        assert.equal(shouldOfferCuda(base), true);
        assert.equal(shouldOfferCuda({ ...base, nvidia: false }), false);
        assert.equal(shouldOfferCuda({ ...base, cudaInstalled: true }), false);
        assert.equal(
            shouldOfferCuda({ ...base, cudaPackages: [] }),
            false,
            "no CUDA build for this platform"
        );
        assert.equal(
            shouldOfferCuda({ ...base, gpuSetting: "off" }),
            false,
            "the user chose the CPU"
        );
        assert.equal(shouldOfferCuda({ ...base, gpuInUse: "cuda" }), false);
    });

    it("says so when auto ends on the CPU although a GPU type is supported", () => {
        assert.match(
            autoFallbackNote(["vulkan", false], false) ?? "",
            /supports Vulkan, but .* running on the CPU/
        );
        assert.equal(autoFallbackNote([false], false), undefined);
        assert.equal(autoFallbackNote(["vulkan", false], "vulkan"), undefined);
    });
});
