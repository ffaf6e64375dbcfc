import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { defaultThreads, planMemory } from "../../src/engine/modelHost/memoryPlan";

const MiB = 1024 * 1024;
const linear = (bytesPerToken: number) => (ctx: number) => ctx * bytesPerToken;

describe("planMemory", () => {
    it("gives the default 4096 context when it fits", () => {
        const plan = planMemory({
            modelBytes: 150 * MiB,
            contextBytes: linear(0.1 * MiB),
            budgetBytes: 2000 * MiB,
            requestedContext: 0,
            trainContextSize: 8192
        });
        assert.deepEqual(plan, {
            ok: true,
            contextSize: 4096,
            totalBytes: 150 * MiB + 409.6 * MiB,
            reduced: false
        });
    });
    it("never exceeds the training context", () => {
        const plan = planMemory({
            modelBytes: MiB,
            contextBytes: linear(1),
            budgetBytes: 1e12,
            requestedContext: 32768,
            trainContextSize: 2048
        });
        assert.equal(plan.ok && plan.contextSize, 2048);
    });
    it("halves an automatic context until it fits", () => {
        const plan = planMemory({
            modelBytes: 100 * MiB,
            contextBytes: linear(0.1 * MiB),
            budgetBytes: 250 * MiB,
            requestedContext: 0,
            trainContextSize: 32768
        });
        assert.equal(plan.ok, true);
        if (plan.ok) {
            assert.equal(plan.contextSize, 1024);
            assert.equal(plan.reduced, true);
        }
    });
    it("refuses an explicit context that does not fit instead of shrinking it", () => {
        const plan = planMemory({
            modelBytes: 100 * MiB,
            contextBytes: linear(0.1 * MiB),
            budgetBytes: 250 * MiB,
            requestedContext: 8192,
            trainContextSize: 32768
        });
        assert.equal(plan.ok, false);
        if (!plan.ok) assert.equal(plan.explicitContext, true);
    });
    it("refuses a model that does not fit even with the smallest context", () => {
        const plan = planMemory({
            modelBytes: 8000 * MiB,
            contextBytes: linear(0.1 * MiB),
            budgetBytes: 4000 * MiB,
            requestedContext: 0,
            trainContextSize: 32768
        });
        assert.equal(plan.ok, false);
        if (!plan.ok) assert.ok(plan.neededBytes > 8000 * MiB);
    });
});

describe("defaultThreads", () => {
    it("leaves one core free, uses at least one thread and at most 16", () => {
        assert.equal(defaultThreads(2), 1);
        assert.equal(defaultThreads(4), 3);
        assert.equal(defaultThreads(1), 1);
        assert.equal(defaultThreads(0), 1);
        assert.equal(defaultThreads(64), 16);
    });
});
