/** The stats view's numbers from the local counts: hours or days, latency buckets, languages. */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { emptySnapshot, LocalCompletionStats } from "../../src/extension/completion/localStats";
import {
    buildStatsView,
    latencyBuckets,
    ratePoints
} from "../../src/extension/completion/statsView";

const HOUR = 3_600_000;
const now = new Date(2026, 11, 4, 15, 20).getTime();

describe("buildStatsView", () => {
    it("counts shown, accepted and cancelled per hour and per language, and the rate over them", () => {
        const stats = new LocalCompletionStats();
        stats.onShown(100, "typescript", now - 2 * HOUR);
        stats.onShown(300, "typescript", now - 2 * HOUR);
        stats.onAccepted("typescript", now - 2 * HOUR);
        stats.onShown(200, "python", now);
        stats.onCancelled("python");
        stats.onCancelled("__proto__");
        const view = buildStatsView(stats.snapshot(), true, now);
        assert.deepEqual([view.shown, view.accepted, view.cancelled], [3, 1, 2]);
        assert.equal(view.acceptanceRate, 1 / 3);
        assert.equal(view.rate.unit, "hour");
        assert.deepEqual(
            view.rate.points.map((p) => [p.shown, p.accepted]),
            [
                [2, 1],
                [0, 0],
                [1, 0]
            ],
            "the empty hour between is filled in"
        );
        assert.deepEqual(
            view.languages.map((l) => [l.languageId, l.shown, l.accepted, l.cancelled]),
            [
                ["typescript", 2, 1, 0],
                ["python", 1, 0, 1],
                ["other", 0, 0, 1]
            ]
        );
        assert.deepEqual([view.latency.p50, view.latency.p95, view.latency.count], [200, 300, 3]);
    });

    it("draws days once the data spans more than two days, and keeps at most 30 of them", () => {
        const hours = [
            { start: now - 40 * 24 * HOUR, shown: 4, accepted: 1 },
            { start: now - 3 * 24 * HOUR, shown: 2, accepted: 2 },
            { start: now - HOUR, shown: 1, accepted: 0 }
        ];
        const rate = ratePoints(hours, now);
        assert.equal(rate.unit, "day");
        assert.equal(rate.points.length, 30);
        assert.deepEqual(
            rate.points.filter((p) => p.shown > 0).map((p) => [p.shown, p.accepted]),
            [
                [2, 2],
                [1, 0]
            ]
        );
        assert.deepEqual(ratePoints([], now), { unit: "hour", points: [] });
    });

    it("latency buckets have a round width, cover the 99th percentile, and the last one takes the outliers", () => {
        const latencies = [...Array.from({ length: 99 }, (_, i) => 50 + i * 3), 9000];
        const buckets = latencyBuckets(latencies);
        const width = buckets[0].to - buckets[0].from;
        assert.ok([5, 10, 20, 25, 50, 100].includes(width), `round width ${width}`);
        assert.ok(buckets.length <= 13, `${buckets.length} buckets`);
        assert.equal(
            buckets.reduce((a, b) => a + b.count, 0),
            latencies.length,
            "every latency is counted once"
        );
        assert.ok(
            buckets[buckets.length - 1].to > 50 + 98 * 3,
            "the top bucket reaches the 99th percentile"
        );
        assert.deepEqual(latencyBuckets([]), []);
        assert.deepEqual(buildStatsView(emptySnapshot(), false, now).latency, {
            count: 0,
            p50: 0,
            p95: 0,
            buckets: []
        });
    });
});
