/** The shape of a benchmark run's results: written to bench.json and rendered into report.md. */

export interface MachineFacts {
    platform: string;
    arch: string;
    cpuModel: string;
    cores: number;
    totalMemMiB: number;
    node: string;
    nodeLlamaCpp: string;
    loadAvgStart: [number, number, number];
    loadAvgEnd?: [number, number, number];
}

export interface Table {
    title: string;
    columns: string[];
    rows: (string | number)[][];
    /** One line under the table: what the numbers mean. */
    note?: string;
}

/** Latency samples (ms) for the plot, e.g. "Apprentice cold". */
export interface LatencySeries {
    label: string;
    values: number[];
}

export type SuiteStatus = "ok" | "skipped" | "failed";

export interface SuiteResult {
    id: string;
    title: string;
    status: SuiteStatus;
    /** Why it was skipped or failed. */
    reason?: string;
    seconds: number;
    /** Every figure by name (ms, tokens/s, MiB, ratios): the JSON's source of truth. */
    figures: Record<string, number>;
    tables: Table[];
    latency?: LatencySeries[];
    /** Raw samples, kept in the JSON only. */
    samples?: Record<string, unknown>;
}

export interface BenchOptionsSummary {
    mode: "quick" | "full";
    model: string;
    threads: number;
    threadCounts: number[];
    seed: number;
    positions: number;
    chars: number;
    maxTokens: number;
    llamaServer?: string;
    engine: string;
}

export interface BenchResults {
    startedAt: string;
    finishedAt?: string;
    machine: MachineFacts;
    options: BenchOptionsSummary;
    warnings: string[];
    suites: SuiteResult[];
}
