import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import type { Token } from "node-llama-cpp";
import {
    canShiftPositions,
    MIN_SHIFTED_RUN,
    planShiftedReuse
} from "../../src/engine/completion/shiftedReuse";

const tokens = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => (from + i) as Token);

/** What the cache holds after erasing the planned ranges (indexes before any erasing). */
function applyPlan(cached: Token[], erase: { start: number; end: number }[]): Token[] {
    return cached.filter((_, i) => !erase.some((r) => i >= r.start && i < r.end));
}

describe("shifted KV cache reuse plan", () => {
    const head = tokens(1, 10); // BOS, context, <PRE>
    const dropped = tokens(100, 80); // lines cut from the start of the prefix
    const kept = tokens(1000, 300); // lines still in the prefix, <SUF>, suffix, <MID>, line

    it("erases the lines cut from the head so the rest is reused in place", () => {
        const cached = [...head, ...dropped, ...kept];
        const prompt = [...head, ...kept.slice(0, 250), ...tokens(5000, 40)];
        const plan = planShiftedReuse(cached, prompt, head.length);
        assert.deepEqual(plan.erase, [{ start: head.length, end: head.length + dropped.length }]);
        assert.equal(plan.reused, head.length + 250);
        const after = applyPlan(cached, plan.erase);
        assert.deepEqual(after.slice(0, plan.reused), prompt.slice(0, plan.reused));
    });

    it("handles two gaps (the head cut and a changed chunk of context)", () => {
        const cached = [
            ...head,
            ...tokens(100, 50),
            ...tokens(1000, 100),
            ...tokens(200, 7),
            ...tokens(3000, 60)
        ];
        const prompt = [...head, ...tokens(1000, 100), ...tokens(3000, 60), 9 as Token];
        const plan = planShiftedReuse(cached, prompt, head.length);
        assert.equal(plan.erase.length, 2);
        assert.equal(plan.reused, head.length + 160);
        assert.deepEqual(
            applyPlan(cached, plan.erase).slice(0, plan.reused),
            prompt.slice(0, plan.reused)
        );
    });

    it("plans nothing when the new text is not in the cache, or the matching run is too short", () => {
        const cached = [...head, ...dropped, ...kept];
        assert.deepEqual(planShiftedReuse(cached, [...head, ...tokens(7000, 200)], head.length), {
            erase: [],
            reused: head.length
        });
        const short = [...head, ...kept.slice(0, MIN_SHIFTED_RUN - 1)];
        assert.deepEqual(planShiftedReuse(cached, short, head.length), {
            erase: [],
            reused: head.length
        });
        // Lines added at the head (the cursor moved up) cannot be inserted: evaluate again.
        assert.deepEqual(
            planShiftedReuse([...head, ...kept], [...head, ...dropped, ...kept], head.length),
            { erase: [], reused: head.length }
        );
    });

    it("only for architectures with plain RoPE positions", () => {
        assert.equal(canShiftPositions("qwen2"), true);
        assert.equal(canShiftPositions("llama"), true);
        assert.equal(canShiftPositions("qwen2vl"), false);
        assert.equal(canShiftPositions("mamba"), false);
        assert.equal(canShiftPositions(undefined), false);
    });
});
