/** What a benchmark suite gets and returns. */
import type { EngineAdapter } from "./engineAdapter";
import type { BenchOptions } from "./options";
import type { SuiteResult } from "./results";
import type { ReplayPosition } from "./replay";

export interface BenchContext {
    readonly options: BenchOptions;
    /** The shared engine, started once with the model (suites that need a fresh one start their own). */
    engine(): Promise<EngineAdapter>;
    /** The typing replay positions (same for every engine). */
    positions(): ReplayPosition[];
    log(message: string): void;
    /** Figures from earlier suites of this run, by suite id. */
    readonly earlier: Map<string, SuiteResult>;
}

export type SuiteOutcome = Omit<SuiteResult, "id" | "title" | "seconds">;

export interface Suite {
    id: string;
    title: string;
    run(context: BenchContext): Promise<SuiteOutcome>;
}

export function skipped(reason: string): SuiteOutcome {
    return { status: "skipped", reason, figures: {}, tables: [] };
}
