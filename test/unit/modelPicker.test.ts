import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { CATALOG } from "../../src/shared/catalog";
import type { MachineProfile } from "../../src/shared/modelsProtocol";
import { describeStatus } from "../../src/shared/status";
import type { ModelFacts } from "../../src/shared/status";
import { rankCatalog } from "../../src/engine/models/recommend";
import {
    describeItem,
    describeMachine,
    formatSpeed,
    pickerOrder
} from "../../src/extension/models/format";
import { settingFor } from "../../src/extension/models/modelSetting";

const GIB = 1024 ** 3;
const machine = (over: Partial<MachineProfile> = {}): MachineProfile => ({
    cores: 2,
    totalRamBytes: 24 * GIB,
    freeRamBytes: 16 * GIB,
    gpu: "cpu",
    gpuNames: [],
    vramBytes: 0,
    unifiedMemory: false,
    ...over
});

describe("Choose Model words and order", () => {
    it('shows speeds below one token per second as "< 1 token/s" and the singular for one', () => {
        assert.equal(formatSpeed(0.4), "< 1 token/s");
        assert.equal(formatSpeed(0), "< 1 token/s");
        assert.equal(formatSpeed(1), "~1 token/s");
        assert.equal(formatSpeed(1.3), "~1 token/s");
        assert.equal(formatSpeed(21.6), "~22 tokens/s");
    });

    it("lists the recommended models first, then by fit, smaller before larger", () => {
        for (const profile of [
            machine(),
            machine({ cores: 4, totalRamBytes: 8 * GIB }),
            machine({
                cores: 16,
                totalRamBytes: 64 * GIB,
                gpu: "cuda",
                gpuNames: ["RTX 4090"],
                vramBytes: 24 * GIB
            })
        ]) {
            const ordered = pickerOrder(rankCatalog(profile, new Set()));
            assert.equal(ordered.length, CATALOG.length);
            const recommended = ordered.filter((i) => i.recommendedFor.length > 0).length;
            assert.ok(
                ordered.slice(0, recommended).every((i) => i.recommendedFor.length > 0),
                "recommended first"
            );
            const rest = ordered.slice(recommended);
            const fit = { fits: 0, tight: 1, tooBig: 2 } as const;
            for (let i = 1; i < rest.length; i++) {
                const [a, b] = [rest[i - 1], rest[i]];
                const label = `${a.entry.name} (${a.assessment.fit}) before ${b.entry.name} (${b.assessment.fit})`;
                assert.ok(
                    fit[a.assessment.fit] < fit[b.assessment.fit] ||
                        (fit[a.assessment.fit] === fit[b.assessment.fit] &&
                            a.entry.sizeBytes <= b.entry.sizeBytes),
                    label
                );
            }
        }
    });

    it("never sorts a 14B model before a 7B or 3B one that fits as well", () => {
        const ordered = pickerOrder(rankCatalog(machine(), new Set())).filter(
            (i) => i.recommendedFor.length === 0
        );
        const at = (params: number) =>
            ordered.findIndex((i) => i.entry.params === params && i.assessment.fit === "fits");
        const [three, seven, fourteen] = [at(3), at(7), at(14)];
        if (fourteen >= 0 && seven >= 0) assert.ok(seven < fourteen, "7B before 14B");
        if (fourteen >= 0 && three >= 0) assert.ok(three < fourteen, "3B before 14B");
    });

    it('describes an entry without "tokens/s" after a speed below one', () => {
        const slow = rankCatalog(machine({ cores: 1, totalRamBytes: 128 * GIB }), new Set()).find(
            (i) => i.assessment.tokensPerSecond < 1
        );
        assert.ok(slow, "the catalog has a model that runs below 1 token/s on one core");
        assert.match(describeItem(slow).description, /< 1 token\/s/);
        assert.doesNotMatch(describeItem(slow).description, /~\d+ tokens\/s/);
    });

    it("summarizes the machine in a few words for the catalog heading", () => {
        assert.equal(describeMachine(machine()), "24 GiB RAM, 2 CPU cores");
        assert.equal(describeMachine(machine({ cores: 1 })), "24 GiB RAM, 1 CPU core");
        assert.equal(
            describeMachine(machine({ gpu: "cuda", gpuNames: ["RTX 4090"], vramBytes: 24 * GIB })),
            "24 GiB RAM, RTX 4090 with 24 GiB"
        );
    });
});

describe("status words", () => {
    const facts = (threads: number) =>
        ({
            name: "coder",
            device: "cpu",
            threads,
            contextSize: 4096,
            gpuNames: []
        }) as unknown as ModelFacts;
    it('says "1 thread" and "2 threads"', () => {
        assert.match(describeStatus({ state: "ready", model: facts(1) }), /CPU, 1 thread$/);
        assert.match(describeStatus({ state: "ready", model: facts(2) }), /CPU, 2 threads$/);
    });
});

describe("where a picked or downloaded catalog model goes", () => {
    it("an embedding-only model becomes the @workspace embedding model, never the chat model", () => {
        const embedders = CATALOG.filter((e) => e.roles.length === 1 && e.roles[0] === "embedding");
        assert.ok(embedders.length > 0, "the catalog has an embedding model");
        for (const entry of embedders)
            assert.equal(settingFor(entry), "workspaceIndex.embeddingModel", entry.id);
    });

    it("every completion or chat model becomes the engine's model", () => {
        const models = CATALOG.filter((e) => !e.roles.includes("embedding"));
        assert.ok(models.length > 0);
        for (const entry of models) assert.equal(settingFor(entry), "modelPath", entry.id);
    });
});
