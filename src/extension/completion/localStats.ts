/** Shown and accepted suggestions and latencies, counted locally and never sent anywhere. */
import type { EngineCompletionStats } from "../../shared/completionProtocol";
import { percentile } from "../../shared/percentile";

/** Shown and accepted suggestions in one hour (local clock), for the acceptance rate over time. */
export interface HourCounts {
    /** Start of the hour, ms since the epoch. */
    start: number;
    shown: number;
    accepted: number;
}

/** Counts for one language (VS Code's language id). */
export interface LanguageCounts {
    shown: number;
    accepted: number;
    /** Requests that were cancelled (typing on) before their answer could be shown. */
    cancelled: number;
}

/**
 * Counts and the latest latencies; what completion-stats.json holds. `hours`, `languages` and
 * `cancelled` came later: files without them read as empty, and older versions ignore them.
 */
export interface CompletionStatsSnapshot {
    shown: number;
    accepted: number;
    partiallyAccepted: number;
    /** Latency as seen by the editor, ms, oldest first (at most MAX_LATENCIES). */
    latencies: number[];
    cancelled?: number;
    /** Oldest first, at most MAX_HOURS; hours without a suggestion are left out. */
    hours?: HourCounts[];
    languages?: Record<string, LanguageCounts>;
}

export const MAX_LATENCIES = 500;
/** The time series keeps 30 days of hours. */
export const MAX_HOURS = 30 * 24;
/** At most this many languages are kept (the ones with the most suggestions). */
export const MAX_LANGUAGES = 50;

export function emptySnapshot(): CompletionStatsSnapshot {
    return {
        shown: 0,
        accepted: 0,
        partiallyAccepted: 0,
        latencies: [],
        cancelled: 0,
        hours: [],
        languages: {}
    };
}

function addHours(a: readonly HourCounts[], b: readonly HourCounts[]): HourCounts[] {
    const byStart = new Map<number, HourCounts>();
    for (const h of [...a, ...b]) {
        const at = byStart.get(h.start);
        if (at) {
            at.shown += h.shown;
            at.accepted += h.accepted;
        } else byStart.set(h.start, { ...h });
    }
    return [...byStart.values()].sort((x, y) => x.start - y.start).slice(-MAX_HOURS);
}

function addLanguages(
    a: Readonly<Record<string, LanguageCounts>>,
    b: Readonly<Record<string, LanguageCounts>>
): Record<string, LanguageCounts> {
    const out: Record<string, LanguageCounts> = {};
    for (const source of [a, b]) {
        for (const [id, c] of Object.entries(source)) {
            const at = (out[id] ??= { shown: 0, accepted: 0, cancelled: 0 });
            at.shown += c.shown;
            at.accepted += c.accepted;
            at.cancelled += c.cancelled;
        }
    }
    const kept = Object.entries(out)
        .sort((x, y) => y[1].shown + y[1].cancelled - (x[1].shown + x[1].cancelled))
        .slice(0, MAX_LANGUAGES);
    return Object.fromEntries(kept);
}

/** `a` plus `b` (b's latencies are the newer ones). */
export function addSnapshots(
    a: CompletionStatsSnapshot,
    b: CompletionStatsSnapshot
): CompletionStatsSnapshot {
    return {
        shown: a.shown + b.shown,
        accepted: a.accepted + b.accepted,
        partiallyAccepted: a.partiallyAccepted + b.partiallyAccepted,
        latencies: [...a.latencies, ...b.latencies].slice(-MAX_LATENCIES),
        cancelled: (a.cancelled ?? 0) + (b.cancelled ?? 0),
        hours: addHours(a.hours ?? [], b.hours ?? []),
        languages: addLanguages(a.languages ?? {}, b.languages ?? {})
    };
}

function hourOf(now: number): number {
    const d = new Date(now);
    d.setMinutes(0, 0, 0);
    return d.getTime();
}

export class LocalCompletionStats {
    private totals = emptySnapshot();
    /** Counted since the last save (completionStatsFile.ts adds it to the file). */
    private unsaved = emptySnapshot();
    private readonly listeners = new Set<() => void>();

    get shown(): number {
        return this.totals.shown;
    }
    get accepted(): number {
        return this.totals.accepted;
    }
    get partiallyAccepted(): number {
        return this.totals.partiallyAccepted;
    }
    get cancelled(): number {
        return this.totals.cancelled ?? 0;
    }

    /** Calls `listener` after every change (the stats file schedules a save, the stats view redraws); returns a function that stops it. */
    onDidChange(listener: () => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /** Everything counted, this session and earlier ones (a copy). */
    snapshot(): CompletionStatsSnapshot {
        return addSnapshots(emptySnapshot(), this.totals);
    }

    onShown(latencyMs: number, languageId?: string, now = Date.now()): void {
        for (const s of [this.totals, this.unsaved]) {
            s.shown++;
            s.latencies.push(latencyMs);
            if (s.latencies.length > MAX_LATENCIES) s.latencies.shift();
            this.hour(s, now).shown++;
            if (languageId) this.language(s, languageId).shown++;
        }
        this.changed();
    }

    onAccepted(languageId?: string, now = Date.now()): void {
        for (const s of [this.totals, this.unsaved]) {
            s.accepted++;
            this.hour(s, now).accepted++;
            if (languageId) this.language(s, languageId).accepted++;
        }
        this.changed();
    }

    onPartiallyAccepted(): void {
        this.totals.partiallyAccepted++;
        this.unsaved.partiallyAccepted++;
        this.changed();
    }

    /** A request was cancelled (the user typed on) before its answer could be shown. */
    onCancelled(languageId?: string): void {
        for (const s of [this.totals, this.unsaved]) {
            s.cancelled = (s.cancelled ?? 0) + 1;
            if (languageId) this.language(s, languageId).cancelled++;
        }
        this.changed();
    }

    /** Adds what was saved by earlier sessions (shown, not saved again). */
    addSaved(saved: CompletionStatsSnapshot): void {
        this.totals = addSnapshots(saved, this.totals);
        this.changed();
    }

    /** What was counted since the last save; the caller saves it, or gives it back when that failed. */
    takeUnsaved(): CompletionStatsSnapshot | undefined {
        const u = this.unsaved;
        if (u.shown === 0 && u.accepted === 0 && u.partiallyAccepted === 0 && !u.cancelled)
            return undefined;
        this.unsaved = emptySnapshot();
        return u;
    }

    giveBackUnsaved(snapshot: CompletionStatsSnapshot): void {
        this.unsaved = addSnapshots(snapshot, this.unsaved);
    }

    /** A few lines for the log. */
    report(engine: EngineCompletionStats | undefined): string[] {
        const { shown, accepted, partiallyAccepted, latencies } = this.totals;
        const rate = shown > 0 ? Math.round((100 * accepted) / shown) : 0;
        const lines = [
            `Suggestions shown: ${shown}, accepted: ${accepted} (${rate}%), partially accepted: ${partiallyAccepted}.`,
            `Latency as seen by the editor: p50 ${Math.round(percentile(latencies, 0.5))} ms, p95 ${Math.round(percentile(latencies, 0.95))} ms.`
        ];
        if (engine) {
            lines.push(
                `Engine (this session): ${engine.requests} requests, ${engine.modelCalls} model calls (p50 ${engine.latencyP50} ms, p95 ${engine.latencyP95} ms), ` +
                    `${engine.cacheHits} from cache, ${engine.typingAlongHits} typing along, ${engine.cancelled} cancelled, ${engine.lowConfidence} hidden for low confidence.`
            );
            if (engine.last)
                lines.push(
                    `Last: ${engine.last.source}, ${engine.last.evaluatedTokens} prompt tokens evaluated, ${engine.last.reusedTokens} reused, ${engine.last.generatedTokens} generated, ${engine.last.totalMs} ms.`
                );
            if (engine.fimSupported === false)
                lines.push(
                    "The loaded model has no fill-in-the-middle tokens, so it cannot do inline completion."
                );
        }
        return lines;
    }

    private hour(s: CompletionStatsSnapshot, now: number): HourCounts {
        const hours = (s.hours ??= []);
        const start = hourOf(now);
        let last = hours[hours.length - 1];
        if (!last || last.start !== start) {
            last = { start, shown: 0, accepted: 0 };
            hours.push(last);
            if (hours.length > MAX_HOURS) hours.shift();
        }
        return last;
    }

    private language(s: CompletionStatsSnapshot, languageId: string): LanguageCounts {
        const id =
            /^[\w.+#-]{1,64}$/.test(languageId) &&
            !["__proto__", "constructor", "prototype"].includes(languageId)
                ? languageId
                : "other";
        const languages = (s.languages ??= {});
        return (languages[id] ??= { shown: 0, accepted: 0, cancelled: 0 });
    }

    private changed(): void {
        for (const listener of [...this.listeners]) listener();
    }
}
