/** Engine-side completion counters and latency percentiles (kept in memory only, never sent anywhere). */
import type { CompletionTimings, EngineCompletionStats } from "../../shared/completionProtocol";
import { percentile } from "../../shared/percentile";

export class CompletionStats {
    private readonly latencies: number[] = [];
    private readonly counts = {
        requests: 0,
        modelCalls: 0,
        cacheHits: 0,
        typingAlongHits: 0,
        cancelled: 0,
        lowConfidence: 0
    };
    private last: CompletionTimings | undefined;

    request(): void {
        this.counts.requests++;
    }
    cancelled(): void {
        this.counts.cancelled++;
    }
    lowConfidence(): void {
        this.counts.lowConfidence++;
    }

    answered(timings: CompletionTimings): void {
        this.last = timings;
        if (timings.source === "cache") this.counts.cacheHits++;
        else if (timings.source === "typingAlong") this.counts.typingAlongHits++;
        else {
            this.counts.modelCalls++;
            this.latencies.push(timings.totalMs);
            if (this.latencies.length > 500) this.latencies.shift();
        }
    }

    snapshot(fimSupported: boolean | undefined): EngineCompletionStats {
        return {
            ...this.counts,
            latencyP50: Math.round(percentile(this.latencies, 0.5)),
            latencyP95: Math.round(percentile(this.latencies, 0.95)),
            last: this.last,
            fimSupported
        };
    }
}
