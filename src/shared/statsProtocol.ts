/**
 * Messages between the extension and the completion stats webview, typed once for both sides.
 * The view only draws: the extension computes everything (`buildStatsView`) from the local counts.
 */

/** One point of the acceptance rate over time. */
export interface RatePoint {
    /** Start of the hour or day, ms since the epoch. */
    start: number;
    shown: number;
    accepted: number;
}

export interface LatencyBucket {
    /** From this many ms (inclusive) to `to` (exclusive). */
    from: number;
    to: number;
    count: number;
}

export interface LanguageRow {
    languageId: string;
    shown: number;
    accepted: number;
    cancelled: number;
}

export interface StatsView {
    /** Inline completion on or off (the toggle). */
    enabled: boolean;
    shown: number;
    accepted: number;
    partiallyAccepted: number;
    cancelled: number;
    /** Accepted / shown, 0..1 (0 when nothing was shown). */
    acceptanceRate: number;
    /** Over the latest latencies (at most 500). */
    latency: { count: number; p50: number; p95: number; buckets: LatencyBucket[] };
    /** Hours (up to two days of data) or days; oldest first, with empty slots filled in. */
    rate: { unit: "hour" | "day"; points: RatePoint[] };
    /** Most suggestions first. */
    languages: LanguageRow[];
}

export type ToStatsView = { type: "stats"; stats: StatsView };
export type FromStatsView = { type: "ready" } | { type: "toggle" } | { type: "openSettings" };

export class InvalidStatsMessageError extends Error {
    override readonly name = "InvalidStatsMessageError";
}

/** Checks a message from the stats webview (untrusted input). Throws InvalidStatsMessageError. */
export function parseFromStatsView(value: unknown): FromStatsView {
    const type =
        typeof value === "object" && value !== null
            ? (value as { type?: unknown }).type
            : undefined;
    if (type === "ready" || type === "toggle" || type === "openSettings") return { type };
    throw new InvalidStatsMessageError(
        `from stats view: unknown message type ${JSON.stringify(type)}`
    );
}

/** Checks a message the stats webview received. Throws InvalidStatsMessageError. */
export function parseToStatsView(value: unknown): ToStatsView {
    const v = value as { type?: unknown; stats?: unknown } | null;
    if (
        typeof v !== "object" ||
        v === null ||
        v.type !== "stats" ||
        typeof v.stats !== "object" ||
        v.stats === null
    ) {
        throw new InvalidStatsMessageError(`to stats view: not a stats message`);
    }
    return v as ToStatsView;
}
