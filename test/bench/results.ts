/** The shape of a benchmark run's results: written to bench.json and rendered into report.md. */
import type { BenchOptions } from "./options";

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

/** A grouped bar chart (values 0..1), drawn into its own SVG file next to report.md. */
export interface BarChart {
    /** File name in the output folder, e.g. "quality.svg". */
    file: string;
    title: string;
    /** Series names, one colour each (e.g. "Apprentice", "llama-server"). */
    series: string[];
    /** One group per measure: `values[i]` belongs to `series[i]` (NaN: not measured). */
    groups: { label: string; values: number[] }[];
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
    charts?: BarChart[];
    /** Raw samples, kept in the JSON only. */
    samples?: Record<string, unknown>;
}

/** The options a run used, as recorded in its results. */
export type BenchOptionsSummary = Pick<
    BenchOptions,
    | "mode"
    | "model"
    | "threads"
    | "threadCounts"
    | "seed"
    | "positions"
    | "chars"
    | "maxTokens"
    | "restMs"
    | "llamaServer"
    | "engine"
> &
    Partial<Pick<BenchOptions, "llamaServerBin" | "replayModels">> &
    Partial<Pick<BenchOptions, "qualityCases" | "minConfidence">>;

export interface BenchResults {
    startedAt: string;
    finishedAt?: string;
    machine: MachineFacts;
    options: BenchOptionsSummary;
    warnings: string[];
    suites: SuiteResult[];
}
