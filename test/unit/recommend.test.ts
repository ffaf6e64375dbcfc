import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import {
    CATALOG,
    downloadUrl,
    entryFileName,
    findEntry,
    hfUri,
    memoryNeeded
} from "../../src/shared/catalog";
import type { MachineProfile } from "../../src/shared/modelsProtocol";
import { assess, rankCatalog, recommend } from "../../src/engine/models/recommend";

const GIB = 1024 ** 3;
const machine = (over: Partial<MachineProfile>): MachineProfile => ({
    cores: 4,
    totalRamBytes: 16 * GIB,
    freeRamBytes: 8 * GIB,
    gpu: "cpu",
    gpuNames: [],
    vramBytes: 0,
    unifiedMemory: false,
    ...over
});

const PROFILES = {
    thisMachine: machine({ cores: 2, totalRamBytes: 24 * GIB }),
    laptop8cpu: machine({ cores: 4, totalRamBytes: 8 * GIB }),
    laptop16vulkan6: machine({
        cores: 8,
        totalRamBytes: 16 * GIB,
        gpu: "vulkan",
        gpuNames: ["Radeon"],
        vramBytes: 6 * GIB
    }),
    mac16: machine({
        cores: 8,
        totalRamBytes: 16 * GIB,
        gpu: "metal",
        gpuNames: ["Apple M2"],
        vramBytes: 11 * GIB,
        unifiedMemory: true
    }),
    desktop24gpu: machine({
        cores: 16,
        totalRamBytes: 64 * GIB,
        gpu: "cuda",
        gpuNames: ["RTX 4090"],
        vramBytes: 24 * GIB
    }),
    tiny: machine({ cores: 2, totalRamBytes: 1.5 * GIB }),
    none: machine({ cores: 1, totalRamBytes: 0.5 * GIB })
};

describe("catalog", () => {
    it("has real Hugging Face sources, sizes, roles and unique ids", () => {
        assert.ok(CATALOG.length >= 12);
        assert.equal(new Set(CATALOG.map((e) => e.id)).size, CATALOG.length);
        for (const entry of CATALOG) {
            assert.match(
                downloadUrl(entry),
                /^https:\/\/huggingface\.co\/[\w.-]+\/[\w.-]+-GGUF\/resolve\/main\/[\w.-]+\.gguf$/,
                entry.id
            );
            assert.match(hfUri(entry), /^hf:/);
            assert.ok(entryFileName(entry).endsWith(".gguf"));
            assert.ok(
                entry.sizeBytes > 100e6 && entry.kvBytesPerToken > 0 && entry.roles.length > 0,
                entry.id
            );
            assert.ok(entry.sha256 === null || /^[0-9a-f]{64}$/.test(entry.sha256), entry.id);
            if (entry.roles.includes("completion"))
                assert.ok(entry.fim, `${entry.id}: completion needs FIM`);
        }
        for (const family of ["qwen2.5-coder", "deepseek-r1-distill-qwen"])
            assert.ok(CATALOG.some((e) => e.family === family));
    });

    it("builds mirror URLs with the same path and grows memory with context", () => {
        const entry = findEntry("qwen2.5-coder-1.5b-instruct-q8_0")!;
        assert.equal(
            downloadUrl(entry, "https://models.example.com/hf/"),
            "https://models.example.com/hf/bartowski/Qwen2.5-Coder-1.5B-Instruct-GGUF/resolve/main/Qwen2.5-Coder-1.5B-Instruct-Q8_0.gguf"
        );
        assert.ok(memoryNeeded(entry, 8192) > memoryNeeded(entry, 4096));
        assert.equal(
            memoryNeeded(entry, 8192) - memoryNeeded(entry, 4096),
            entry.kvBytesPerToken * 4096 * 2
        );
    });
});

describe("recommendation over machine shapes", () => {
    it("this 2-core 24 GiB CPU machine: 0.5B Q8_0 completes, the 1.5B reasoning model chats", () => {
        const rec = recommend(PROFILES.thisMachine);
        assert.equal(rec.completion, "qwen2.5-coder-0.5b-instruct-q8_0");
        assert.equal(rec.chat, "deepseek-r1-distill-qwen-1.5b-q4_k_m");
        assert.ok(rec.bothFit);
        assert.match(rec.reason, /2 CPU cores/);
    });

    it("an 8 GB 4-core CPU laptop gets a 1.5B completion model and nothing too big", () => {
        const rec = recommend(PROFILES.laptop8cpu);
        assert.equal(findEntry(rec.completion!)!.params, 1.5);
        assert.ok(rec.chat);
        assert.equal(
            assess(findEntry("deepseek-r1-distill-qwen-32b-q4_k_m")!, PROFILES.laptop8cpu).fit,
            "tooBig"
        );
        assert.equal(
            assess(findEntry("qwen2.5-coder-7b-instruct-q8_0")!, PROFILES.laptop8cpu).fit,
            "tooBig"
        );
    });

    it("more memory and faster hardware never recommend a smaller completion model", () => {
        const order = [
            PROFILES.tiny,
            PROFILES.laptop8cpu,
            PROFILES.laptop16vulkan6,
            PROFILES.desktop24gpu
        ];
        const params = order.map((m) => findEntry(recommend(m).completion!)!.params);
        for (let i = 1; i < params.length; i++)
            assert.ok(params[i]! >= params[i - 1]!, `${params}`);
        assert.ok(params.at(-1)! > params[0]!);
    });

    it("a 24 GB GPU runs a 7B completion model fully on the GPU and a bigger chat model", () => {
        const rec = recommend(PROFILES.desktop24gpu);
        const completion = findEntry(rec.completion!)!;
        assert.equal(completion.params, 7);
        assert.equal(assess(completion, PROFILES.desktop24gpu).device, "gpu");
        assert.equal(assess(completion, PROFILES.desktop24gpu).speed, "fast");
        assert.ok(findEntry(rec.chat!)!.params >= 14);
        assert.equal(
            assess(findEntry("deepseek-r1-distill-qwen-32b-q4_k_m")!, PROFILES.desktop24gpu).device,
            "gpu"
        );
        const partial = assess(
            findEntry("qwen2.5-coder-7b-instruct-q8_0")!,
            PROFILES.laptop16vulkan6
        );
        assert.equal(partial.device, "partial");
        assert.ok(
            partial.tokensPerSecond <
                assess(findEntry("qwen2.5-coder-7b-instruct-q8_0")!, PROFILES.desktop24gpu)
                    .tokensPerSecond
        );
    });

    it("a 16 GB Mac uses unified memory on Metal", () => {
        const a = assess(findEntry("qwen2.5-coder-3b-instruct-q4_k_m")!, PROFILES.mac16);
        assert.equal(a.device, "gpu");
        assert.ok(recommend(PROFILES.mac16).completion);
    });

    it("a machine where nothing fits gets no recommendation and is told to pick a file", () => {
        const rec = recommend(PROFILES.none);
        assert.equal(rec.completion, undefined);
        assert.match(rec.reason, /choose a GGUF file/);
    });

    it("a 1.5 GB machine still gets the smallest model, and one model serves both jobs", () => {
        const rec = recommend(PROFILES.tiny);
        assert.equal(rec.completion, "qwen2.5-coder-0.5b-instruct-q4_k_m");
        assert.equal(rec.chat, rec.completion);
    });

    it("ranks recommended entries first and marks installed ones", () => {
        const ranked = rankCatalog(
            PROFILES.thisMachine,
            new Set(["qwen2.5-coder-0.5b-instruct-q8_0"])
        );
        assert.deepEqual(ranked[0]!.recommendedFor, ["completion"]);
        assert.ok(ranked[0]!.installed);
        assert.ok(ranked.slice(0, 2).every((item) => item.recommendedFor.length > 0));
        assert.equal(ranked.at(-1)!.assessment.fit, "tooBig");
        const rest = ranked.filter(
            (item) => item.recommendedFor.length === 0 && item.assessment.fit === "fits"
        );
        assert.notEqual(
            rest[0]!.assessment.speed,
            "slow",
            "after the recommended ones, a fast model comes before slow ones"
        );
        assert.equal(ranked.length, CATALOG.length);
    });
});
