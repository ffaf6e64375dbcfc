import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { loadWarning } from "../bench/machine";
import {
    fmt,
    fmtRatio,
    mean,
    median,
    percentile,
    ratio,
    seededRandom,
    summarize
} from "../bench/stats";

describe("bench statistics", () => {
    it("interpolates percentiles between ranks and ignores non-finite values", () => {
        const values = [10, 20, 30, 40, 50, NaN];
        assert.equal(percentile(values, 0), 10);
        assert.equal(percentile(values, 50), 30);
        assert.equal(percentile(values, 90), 46);
        assert.equal(percentile(values, 100), 50);
        assert.equal(median([3, 1, 2, 4]), 2.5);
        assert.ok(Number.isNaN(percentile([], 50)));
    });
    it("summarizes a sample", () => {
        const s = summarize([5, 1, 3, Infinity]);
        assert.deepEqual(
            { n: s.n, min: s.min, max: s.max, p50: s.p50, mean: s.mean },
            { n: 3, min: 1, max: 5, p50: 3, mean: 3 }
        );
        assert.equal(mean([]), NaN);
    });
    it("gives NaN ratios instead of dividing by zero, and formats them", () => {
        assert.equal(ratio(6, 3), 2);
        assert.ok(Number.isNaN(ratio(1, 0)));
        assert.ok(Number.isNaN(ratio(NaN, 2)));
        assert.equal(fmtRatio(1.5), "1.50×");
        assert.equal(fmtRatio(NaN), "n/a");
        assert.equal(fmt(1234), "1234");
        assert.equal(fmt(2.345, 1), "2.3");
        assert.equal(fmt(undefined), "n/a");
    });
    it("repeats the same pseudo-random sequence for the same seed", () => {
        const a = seededRandom(42);
        const b = seededRandom(42);
        const c = seededRandom(43);
        const xs = Array.from({ length: 5 }, () => a());
        assert.deepEqual(
            xs,
            Array.from({ length: 5 }, () => b())
        );
        assert.notDeepEqual(
            xs,
            Array.from({ length: 5 }, () => c())
        );
        assert.ok(xs.every((x) => x >= 0 && x < 1));
    });
    it("warns only when the load average exceeds the cores", () => {
        assert.equal(loadWarning([1.5, 1, 1], 2, "at the start"), undefined);
        const warning = loadWarning([9.07, 5, 2], 2, "at the start");
        assert.match(warning ?? "", /9\.07 on 2 cores/);
        assert.match(warning ?? "", /ratios/);
    });
});
