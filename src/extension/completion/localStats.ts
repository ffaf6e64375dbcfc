/** Shown and accepted suggestions and latencies, counted locally and never sent anywhere. */
import type { EngineCompletionStats } from "../../shared/completionProtocol";
import { percentile } from "../../shared/percentile";

/** Counts and the latest latencies; what completion-stats.json holds. */
export interface CompletionStatsSnapshot {
    shown: number;
    accepted: number;
    partiallyAccepted: number;
    /** Latency as seen by the editor, ms, oldest first (at most MAX_LATENCIES). */
    latencies: number[];
}

export const MAX_LATENCIES = 500;

export function emptySnapshot(): CompletionStatsSnapshot {
    return { shown: 0, accepted: 0, partiallyAccepted: 0, latencies: [] };
}

/** `a` plus `b` (b's latencies are the newer ones). */
export function addSnapshots(a: CompletionStatsSnapshot, b: CompletionStatsSnapshot): CompletionStatsSnapshot {
    return {
        shown: a.shown + b.shown,
        accepted: a.accepted + b.accepted,
        partiallyAccepted: a.partiallyAccepted + b.partiallyAccepted,
        latencies: [...a.latencies, ...b.latencies].slice(-MAX_LATENCIES)
    };
}

export class LocalCompletionStats {
    private totals = emptySnapshot();
    /** Counted since the last save (completionStatsFile.ts adds it to the file). */
    private unsaved = emptySnapshot();
    /** Called after every change (the stats file schedules a save). */
    onDidChange: (() => void) | undefined;

    get shown(): number { return this.totals.shown; }
    get accepted(): number { return this.totals.accepted; }
    get partiallyAccepted(): number { return this.totals.partiallyAccepted; }

    onShown(latencyMs: number): void {
        for (const s of [this.totals, this.unsaved]) {
            s.shown++;
            s.latencies.push(latencyMs);
            if (s.latencies.length > MAX_LATENCIES) s.latencies.shift();
        }
        this.onDidChange?.();
    }

    onAccepted(): void { this.totals.accepted++; this.unsaved.accepted++; this.onDidChange?.(); }
    onPartiallyAccepted(): void { this.totals.partiallyAccepted++; this.unsaved.partiallyAccepted++; this.onDidChange?.(); }

    /** Adds what was saved by earlier sessions (shown, not saved again). */
    addSaved(saved: CompletionStatsSnapshot): void {
        this.totals = addSnapshots(saved, this.totals);
    }

    /** What was counted since the last save; the caller saves it, or gives it back when that failed. */
    takeUnsaved(): CompletionStatsSnapshot | undefined {
        const u = this.unsaved;
        if (u.shown === 0 && u.accepted === 0 && u.partiallyAccepted === 0) return undefined;
        this.unsaved = emptySnapshot();
        return u;
    }

    giveBackUnsaved(snapshot: CompletionStatsSnapshot): void {
        this.unsaved = addSnapshots(snapshot, this.unsaved);
    }

    /** A few lines for the stats command. */
    report(engine: EngineCompletionStats | undefined): string[] {
        const { shown, accepted, partiallyAccepted, latencies } = this.totals;
        const rate = shown > 0 ? Math.round((100 * accepted) / shown) : 0;
        const lines = [
            `Suggestions shown: ${shown}, accepted: ${accepted} (${rate}%), partially accepted: ${partiallyAccepted}.`,
            `Latency as seen by the editor: p50 ${Math.round(percentile(latencies, 0.5))} ms, p95 ${Math.round(percentile(latencies, 0.95))} ms.`
        ];
        if (engine) {
            lines.push(`Engine (this session): ${engine.requests} requests, ${engine.modelCalls} model calls (p50 ${engine.latencyP50} ms, p95 ${engine.latencyP95} ms), ` +
                `${engine.cacheHits} from cache, ${engine.typingAlongHits} typing along, ${engine.cancelled} cancelled, ${engine.lowConfidence} hidden for low confidence.`);
            if (engine.last) lines.push(`Last: ${engine.last.source}, ${engine.last.evaluatedTokens} prompt tokens evaluated, ${engine.last.reusedTokens} reused, ${engine.last.generatedTokens} generated, ${engine.last.totalMs} ms.`);
            if (engine.fimSupported === false) lines.push("The loaded model has no fill-in-the-middle tokens, so it cannot do inline completion.");
        }
        return lines;
    }
}
