import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { planGpuOffload } from "../../src/engine/modelHost/gpuOffload";

const GIB = 1024 ** 3;
/** A 28-layer model: 150 MiB per layer plus 500 MiB of context and buffers on the GPU. */
const need = (layers: number) => layers * 150 * 1024 ** 2 + (layers > 0 ? 500 * 1024 ** 2 : 0);

describe("GPU offload plan", () => {
    it("puts every layer on a GPU with room", () => {
        const plan = planGpuOffload({
            gpu: "cuda",
            totalLayers: 28,
            vramFreeBytes: 8 * GIB,
            vramNeeded: need
        });
        assert.equal(plan.gpuLayers, 28);
        assert.match(plan.note, /All 28 layers on the CUDA GPU/);
    });

    it("offloads as many layers as fit in 90% of free VRAM", () => {
        const plan = planGpuOffload({
            gpu: "vulkan",
            totalLayers: 28,
            vramFreeBytes: 2 * GIB,
            vramNeeded: need
        });
        assert.ok(plan.gpuLayers > 0 && plan.gpuLayers < 28);
        assert.ok(need(plan.gpuLayers) <= 2 * GIB * 0.9);
        assert.ok(need(plan.gpuLayers + 1) > 2 * GIB * 0.9, "the largest count that fits");
        assert.match(plan.note, new RegExp(`${plan.gpuLayers} of 28 layers on the VULKAN GPU`));
    });

    it("runs on the CPU when the GPU has no room, without a GPU, and after a backend failure", () => {
        assert.equal(
            planGpuOffload({
                gpu: "cuda",
                totalLayers: 28,
                vramFreeBytes: 256 * 1024 ** 2,
                vramNeeded: need
            }).gpuLayers,
            0
        );
        const cpu = planGpuOffload({
            gpu: false,
            totalLayers: 28,
            vramFreeBytes: 0,
            vramNeeded: need
        });
        assert.equal(cpu.gpuLayers, 0);
        assert.match(cpu.note, /CPU/);
        const fallback = planGpuOffload({
            gpu: false,
            totalLayers: 28,
            vramFreeBytes: 0,
            vramNeeded: need,
            fallbackNote: "The CUDA backend could not be loaded; running on the CPU."
        });
        assert.match(fallback.note, /CUDA backend could not be loaded/);
    });
});
