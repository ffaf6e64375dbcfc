/** Small statistics for benchmark samples: percentiles, summaries and ratios. Pure. */

export interface Summary {
    n: number;
    min: number;
    mean: number;
    p50: number;
    p90: number;
    p95: number;
    max: number;
}

/** Linear-interpolated percentile (p in 0..100) of the values; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
    const finite = values.filter((v) => Number.isFinite(v));
    if (finite.length === 0) return NaN;
    const sorted = [...finite].sort((a, b) => a - b);
    const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function median(values: readonly number[]): number {
    return percentile(values, 50);
}

export function mean(values: readonly number[]): number {
    const finite = values.filter((v) => Number.isFinite(v));
    return finite.length === 0 ? NaN : finite.reduce((a, b) => a + b, 0) / finite.length;
}

export function summarize(values: readonly number[]): Summary {
    const finite = values.filter((v) => Number.isFinite(v));
    return {
        n: finite.length,
        min: finite.length ? Math.min(...finite) : NaN,
        mean: mean(finite),
        p50: percentile(finite, 50),
        p90: percentile(finite, 90),
        p95: percentile(finite, 95),
        max: finite.length ? Math.max(...finite) : NaN
    };
}

/** a / b, or NaN when either is missing or b is 0. */
export function ratio(a: number, b: number): number {
    if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return NaN;
    return a / b;
}

/** A number for a table: NaN and infinities become "n/a"; integers stay integers. */
export function fmt(value: number | undefined, digits = 1): string {
    if (value === undefined || !Number.isFinite(value)) return "n/a";
    if (Number.isInteger(value) && Math.abs(value) >= 10) return String(value);
    return value.toFixed(digits);
}

/** A ratio for a table, e.g. "1.85×". */
export function fmtRatio(value: number): string {
    return Number.isFinite(value) ? `${value.toFixed(2)}×` : "n/a";
}

/** Seeded pseudo-random numbers in [0, 1) (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Figures of one measure taken through the engine and directly, side by side: both medians and engine / direct. */
export function engineVsDirect(
    name: string,
    engine: readonly number[],
    direct: readonly number[]
): Record<string, number> {
    const e = median(engine);
    const d = median(direct);
    return { [`engine${name}`]: e, [`direct${name}`]: d, [ratioName(name)]: ratio(e, d) };
}

function ratioName(name: string): string {
    return `${name.charAt(0).toLowerCase()}${name.slice(1)}Ratio`;
}

/** A table row for a measure from `engineVsDirect`: label, engine, direct, ratio. */
export function engineVsDirectRow(
    label: string,
    figures: Record<string, number>,
    name: string,
    digits = 0
): string[] {
    return [
        label,
        fmt(figures[`engine${name}`], digits),
        fmt(figures[`direct${name}`], digits),
        fmtRatio(figures[ratioName(name)] ?? NaN)
    ];
}
