/** Shown and accepted suggestions and latencies, counted locally and never sent anywhere. */
import type { EngineCompletionStats } from "../../shared/completionProtocol";
import { percentile } from "../../shared/percentile";

export class LocalCompletionStats {
    shown = 0;
    accepted = 0;
    partiallyAccepted = 0;
    private readonly latencies: number[] = [];

    onShown(latencyMs: number): void {
        this.shown++;
        this.latencies.push(latencyMs);
        if (this.latencies.length > 500) this.latencies.shift();
    }

    onAccepted(): void { this.accepted++; }
    onPartiallyAccepted(): void { this.partiallyAccepted++; }

    /** A few lines for the stats command. */
    report(engine: EngineCompletionStats | undefined): string[] {
        const rate = this.shown > 0 ? Math.round((100 * this.accepted) / this.shown) : 0;
        const lines = [
            `Suggestions shown: ${this.shown}, accepted: ${this.accepted} (${rate}%), partially accepted: ${this.partiallyAccepted}.`,
            `Latency as seen by the editor: p50 ${Math.round(percentile(this.latencies, 0.5))} ms, p95 ${Math.round(percentile(this.latencies, 0.95))} ms.`
        ];
        if (engine) {
            lines.push(`Engine: ${engine.requests} requests, ${engine.modelCalls} model calls (p50 ${engine.latencyP50} ms, p95 ${engine.latencyP95} ms), ` +
                `${engine.cacheHits} from cache, ${engine.typingAlongHits} typing along, ${engine.cancelled} cancelled, ${engine.lowConfidence} hidden for low confidence.`);
            if (engine.last) lines.push(`Last: ${engine.last.source}, ${engine.last.evaluatedTokens} prompt tokens evaluated, ${engine.last.reusedTokens} reused, ${engine.last.generatedTokens} generated, ${engine.last.totalMs} ms.`);
            if (engine.fimSupported === false) lines.push("The loaded model has no fill-in-the-middle tokens, so it cannot do inline completion.");
        }
        return lines;
    }
}
