/** The status bar hover names what runs where, and offers the CUDA build as a trusted command link. */
import { strict as assert } from "node:assert";
import * as vscode from "vscode";
import { statusHover } from "../../src/extension/acceleration/hover";
import { presentStatus } from "../../src/extension/statusBar";
import { Commands } from "../../src/extension/commandIds";
import type { ApprenticeApi } from "../../src/extension/api";
import type { ModelFacts } from "../../src/shared/status";
import {
    apprentice,
    setSetting,
    testModel,
    waitForReady,
    waitForStatus,
    type Ready
} from "./support";

describe("acceleration hover", () => {
    let api: ApprenticeApi;
    let facts: ModelFacts;

    before(async () => {
        ({ api } = await apprentice());
        const model = testModel("tiny-fim-random.gguf");
        await setSetting("modelPath", model);
        const status = await waitForReady(api, model);
        facts = status.model;
    });

    it("the engine reports the backend, the layers and no CUDA offer on this machine", () => {
        assert.equal(facts.device, "cpu");
        assert.equal(facts.gpuLayers, 0);
        assert.ok((facts.totalLayers ?? 0) > 0, JSON.stringify(facts));
        assert.notEqual(facts.cudaOffer, true);
        const hover = statusHover({ state: "ready", model: facts }, "Ready");
        assert.equal(typeof hover, "string");
        assert.match(hover as string, /^Ready\nBackend: CPU, \d+ threads? · no layers on a GPU$/);
    });

    it("with an NVIDIA GPU and no CUDA build, the hover links to the command, which only that command may run", async () => {
        const model: ModelFacts = {
            ...facts,
            device: "vulkan",
            gpuNames: ["NVIDIA GeForce RTX 4090"],
            gpuLayers: 24,
            totalLayers: 24,
            cudaOffer: true
        };
        const hover = statusHover({ state: "ready", model }, "Ready");
        assert.ok(hover instanceof vscode.MarkdownString);
        // appendText escapes spaces as &nbsp;
        assert.match(
            hover.value.replace(/&nbsp;/g, " "),
            /Backend: Vulkan · GPU: NVIDIA GeForce RTX 4090 · 24 of 24 layers on the GPU/
        );
        assert.match(
            hover.value,
            new RegExp(
                `\\[\\$\\(zap\\) Enable CUDA acceleration\\]\\(command:${Commands.enableCuda.replace(".", "\\.")} `
            )
        );
        assert.deepEqual(hover.isTrusted, { enabledCommands: [Commands.enableCuda] });
        assert.ok((await vscode.commands.getCommands(true)).includes(Commands.enableCuda));
    });

    it("forced Vulkan on this machine without a GPU falls back to the CPU with one note in the hover, no crash", async () => {
        const states: string[] = [];
        const subscription = api.onDidChangeStatus((status) => states.push(status.state));
        try {
            await setSetting("gpu", "vulkan");
            const status = await waitForStatus(
                api,
                "ready on the CPU with a Vulkan note",
                (s): s is Ready => s.state === "ready" && /Vulkan/.test(s.model.note ?? ""),
                120_000
            );
            assert.equal(status.model.device, "cpu");
            assert.equal(status.model.gpuLayers, 0);
            const hover = statusHover(status, presentStatus(status).tooltip);
            assert.equal(typeof hover, "string");
            assert.equal(
                (hover as string).split("Vulkan could not be used").length - 1,
                1,
                hover as string
            );
            assert.match(
                hover as string,
                /Running on the CPU\.\nBackend: CPU, \d+ threads? · no layers on a GPU$/
            );
            assert.ok(
                !states.includes("crashed") && !states.includes("stopped"),
                `states: ${states.join(" → ")}`
            );
        } finally {
            subscription.dispose();
            await setSetting("gpu", undefined);
            await waitForStatus(
                api,
                "ready without the Vulkan note",
                (s) => s.state === "ready" && !/Vulkan/.test(s.model.note ?? ""),
                120_000
            );
        }
    });
});
