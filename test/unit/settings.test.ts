import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { changedKeys, DEFAULT_SETTINGS, normalizeSettings } from "../../src/shared/settings";

describe("normalizeSettings", () => {
    it("fills defaults for missing or non-object input", () => {
        assert.deepEqual(normalizeSettings(undefined), DEFAULT_SETTINGS);
        assert.deepEqual(normalizeSettings("nonsense"), DEFAULT_SETTINGS);
        assert.deepEqual(normalizeSettings([1, 2]), DEFAULT_SETTINGS);
    });

    it("keeps valid values and trims the path", () => {
        const s = normalizeSettings({
            modelPath: "  /m/a.gguf ",
            contextSize: 2048,
            threads: 2,
            gpu: "off",
            memoryBudgetMB: 900,
            modelsFolder: " /m ",
            modelMirror: "https://mirror.example.com/hf"
        });
        assert.deepEqual(s, {
            ...DEFAULT_SETTINGS,
            modelPath: "/m/a.gguf",
            contextSize: 2048,
            threads: 2,
            gpu: "off",
            memoryBudgetMB: 900,
            modelsFolder: "/m",
            modelMirror: "https://mirror.example.com/hf"
        });
    });

    it("rejects wrong types and clamps numbers", () => {
        const s = normalizeSettings({
            modelPath: 42,
            contextSize: -5,
            threads: 1e9,
            gpu: "tpu",
            memoryBudgetMB: Number.NaN
        });
        assert.equal(s.modelPath, "");
        assert.equal(s.contextSize, 0);
        assert.equal(s.threads, 256);
        assert.equal(s.gpu, "auto");
        assert.equal(s.memoryBudgetMB, 0);
        assert.deepEqual(
            normalizeSettings({ secretFilePatterns: ["*.a", 5, null, "*.b"] }).secretFilePatterns,
            ["*.a", "*.b"]
        );
        assert.deepEqual(normalizeSettings({ secretFilePatterns: "*.a" }).secretFilePatterns, []);
        assert.equal(
            normalizeSettings({ modelMirror: "file:///etc" }).modelMirror,
            "",
            "a mirror must be an http(s) URL"
        );
    });

    it("takes missing keys from the base settings", () => {
        const base = normalizeSettings({ modelPath: "/a.gguf", threads: 3 });
        const next = normalizeSettings({ contextSize: 1024 }, base);
        assert.equal(next.modelPath, "/a.gguf");
        assert.equal(next.threads, 3);
        assert.equal(next.contextSize, 1024);
    });

    it("lists changed keys", () => {
        const a = normalizeSettings({ modelPath: "/a.gguf" });
        assert.deepEqual(changedKeys(a, { ...a, gpu: "cuda", threads: 4 }), ["threads", "gpu"]);
        assert.deepEqual(changedKeys(a, { ...a }), []);
        assert.deepEqual(
            changedKeys(a, { ...a, secretFilePatterns: [] }),
            [],
            "equal arrays are no change"
        );
        assert.deepEqual(changedKeys(a, { ...a, secretFilePatterns: ["*.token"] }), [
            "secretFilePatterns"
        ]);
    });
});
