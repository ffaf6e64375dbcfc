/** What the completion stats view draws, computed from the local counts (pure: unit-tested). */
import { percentile } from "../../shared/percentile";
import type { LatencyBucket, RatePoint, StatsView } from "../../shared/statsProtocol";
import type { CompletionStatsSnapshot, HourCounts } from "./localStats";

const HOUR_MS = 3_600_000;
/** Up to this much data the rate is drawn per hour, beyond it per day. */
const HOURLY_SPAN_MS = 48 * HOUR_MS;
const MAX_DAYS = 30;
const BUCKET_WIDTHS = [5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000];
const TARGET_BUCKETS = 12;

function startOfHour(t: number): number {
    const d = new Date(t);
    d.setMinutes(0, 0, 0);
    return d.getTime();
}
function startOfDay(t: number): number {
    const d = new Date(t);
    d.setHours(0, 0, 0, 0);
    return d.getTime();
}
function nextDay(t: number): number {
    const d = new Date(t);
    d.setDate(d.getDate() + 1);
    return startOfDay(d.getTime());
}

/** The rate over time: hours with empty hours filled in, or days when the data spans more than two days. */
export function ratePoints(hours: readonly HourCounts[], now: number): StatsView["rate"] {
    if (hours.length === 0) return { unit: "hour", points: [] };
    const first = hours[0].start;
    if (now - first <= HOURLY_SPAN_MS) {
        const byStart = new Map(hours.map((h) => [h.start, h]));
        const points: RatePoint[] = [];
        for (let t = startOfHour(first); t <= startOfHour(now); t += HOUR_MS) {
            const h = byStart.get(t);
            points.push({ start: t, shown: h?.shown ?? 0, accepted: h?.accepted ?? 0 });
        }
        return { unit: "hour", points };
    }
    const byDay = new Map<number, RatePoint>();
    for (const h of hours) {
        const day = startOfDay(h.start);
        const p = byDay.get(day) ?? { start: day, shown: 0, accepted: 0 };
        p.shown += h.shown;
        p.accepted += h.accepted;
        byDay.set(day, p);
    }
    const points: RatePoint[] = [];
    for (let t = startOfDay(first); t <= now; t = nextDay(t))
        points.push(byDay.get(t) ?? { start: t, shown: 0, accepted: 0 });
    return { unit: "day", points: points.slice(-MAX_DAYS) };
}

/** About a dozen buckets of a round width; the last one also holds everything above it. */
export function latencyBuckets(latencies: readonly number[]): LatencyBucket[] {
    if (latencies.length === 0) return [];
    const top = Math.max(1, percentile(latencies, 0.99));
    const width =
        BUCKET_WIDTHS.find((w) => top / w <= TARGET_BUCKETS) ??
        BUCKET_WIDTHS[BUCKET_WIDTHS.length - 1];
    const count = Math.max(1, Math.ceil((top + 1) / width));
    const buckets: LatencyBucket[] = Array.from({ length: count }, (_, i) => ({
        from: i * width,
        to: (i + 1) * width,
        count: 0
    }));
    for (const l of latencies)
        buckets[Math.min(count - 1, Math.floor(Math.max(0, l) / width))].count++;
    return buckets;
}

export function buildStatsView(
    s: CompletionStatsSnapshot,
    enabled: boolean,
    now = Date.now()
): StatsView {
    return {
        enabled,
        shown: s.shown,
        accepted: s.accepted,
        partiallyAccepted: s.partiallyAccepted,
        cancelled: s.cancelled ?? 0,
        acceptanceRate: s.shown > 0 ? Math.min(1, s.accepted / s.shown) : 0,
        latency: {
            count: s.latencies.length,
            p50: Math.round(percentile(s.latencies, 0.5)),
            p95: Math.round(percentile(s.latencies, 0.95)),
            buckets: latencyBuckets(s.latencies)
        },
        rate: ratePoints(s.hours ?? [], now),
        languages: Object.entries(s.languages ?? {})
            .map(([languageId, c]) => ({ languageId, ...c }))
            .sort(
                (a, b) =>
                    b.shown - a.shown ||
                    b.cancelled - a.cancelled ||
                    a.languageId.localeCompare(b.languageId)
            )
    };
}
