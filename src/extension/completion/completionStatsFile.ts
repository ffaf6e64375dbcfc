/**
 * Keeps LocalCompletionStats in `completion-stats.json` (the extension's global storage): read at
 * activation, saved at most every few seconds after a change and at deactivation. A save reads the
 * file and adds what this window counted since its last save, so windows open at the same time add
 * up instead of overwriting each other. The file stays on this machine; nothing is ever sent.
 */
import { AtomicJsonFile, type CorruptFileReport } from "../storage/atomicJsonFile";
import {
    addSnapshots,
    emptySnapshot,
    MAX_HOURS,
    MAX_LATENCIES,
    type CompletionStatsSnapshot,
    type HourCounts,
    type LanguageCounts,
    type LocalCompletionStats
} from "./localStats";

export const STATS_FILE_NAME = "completion-stats.json";
/** A change is saved within this time; saves are never closer together. */
export const STATS_SAVE_INTERVAL_MS = 5_000;
/**
 * Still 1: `cancelled`, `hours` and `languages` were added as optional fields, so older files read
 * (as empty series) and older versions of Apprentice still read newer files (ignoring them).
 */
const STATS_VERSION = 1;

const isCount = (v: unknown): v is number =>
    typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

function parseHours(value: unknown): HourCounts[] {
    if (value === undefined) return [];
    if (
        !Array.isArray(value) ||
        !value.every(
            (h) =>
                typeof h === "object" &&
                h !== null &&
                isCount(h.start) &&
                isCount(h.shown) &&
                isCount(h.accepted)
        )
    ) {
        throw new Error("the stats' hours are not a list of {start, shown, accepted}");
    }
    return (value as HourCounts[])
        .map((h) => ({ start: h.start, shown: h.shown, accepted: h.accepted }))
        .slice(-MAX_HOURS);
}

function parseLanguages(value: unknown): Record<string, LanguageCounts> {
    if (value === undefined) return {};
    if (typeof value !== "object" || value === null || Array.isArray(value))
        throw new Error("the stats' languages are not an object");
    const out: Record<string, LanguageCounts> = {};
    for (const [id, c] of Object.entries(value as Record<string, Partial<LanguageCounts> | null>)) {
        if (
            typeof c !== "object" ||
            c === null ||
            !isCount(c.shown) ||
            !isCount(c.accepted) ||
            !isCount(c.cancelled)
        )
            throw new Error(
                `the stats of language ${JSON.stringify(id.slice(0, 40))} need shown, accepted and cancelled counts`
            );
        if (id === "__proto__") continue;
        out[id] = { shown: c.shown, accepted: c.accepted, cancelled: c.cancelled };
    }
    return out;
}

export function parseStatsSnapshot(data: unknown): CompletionStatsSnapshot {
    const s = data as Partial<CompletionStatsSnapshot> | null;
    if (
        typeof s !== "object" ||
        s === null ||
        !isCount(s.shown) ||
        !isCount(s.accepted) ||
        !isCount(s.partiallyAccepted)
    ) {
        throw new Error("the stats need shown, accepted and partiallyAccepted counts");
    }
    if (
        !Array.isArray(s.latencies) ||
        !s.latencies.every((l) => typeof l === "number" && Number.isFinite(l) && l >= 0)
    ) {
        throw new Error("the stats' latencies are not a list of milliseconds");
    }
    if (s.cancelled !== undefined && !isCount(s.cancelled))
        throw new Error("the stats' cancelled count is not a count");
    return {
        shown: s.shown!,
        accepted: s.accepted!,
        partiallyAccepted: s.partiallyAccepted!,
        latencies: s.latencies.slice(-MAX_LATENCIES),
        cancelled: s.cancelled ?? 0,
        hours: parseHours(s.hours),
        languages: parseLanguages(s.languages)
    };
}

export interface CompletionStatsFileOptions {
    readonly file: string;
    readonly stats: LocalCompletionStats;
    readonly intervalMs?: number;
    /** The file was damaged and moved aside (at load or at a save). */
    readonly onDamaged?: (report: CorruptFileReport) => void;
    /** A save failed; what it held is kept for the next one. */
    readonly onError?: (error: unknown) => void;
}

export class CompletionStatsFile {
    private readonly file: AtomicJsonFile<CompletionStatsSnapshot>;
    private readonly stats: LocalCompletionStats;
    private timer: ReturnType<typeof setTimeout> | undefined;
    /** Loads and saves, one after the other. */
    private queue: Promise<void> = Promise.resolve();
    private closed = false;
    private readonly stopListening: () => void;

    constructor(private readonly options: CompletionStatsFileOptions) {
        this.stats = options.stats;
        this.file = new AtomicJsonFile({
            file: options.file,
            version: STATS_VERSION,
            parse: parseStatsSnapshot,
            empty: emptySnapshot,
            maxBytes: 1024 * 1024
        });
        this.stopListening = this.stats.onDidChange(() => this.schedule());
    }

    get path(): string {
        return this.file.file;
    }

    /** Adds what earlier sessions saved to the stats shown. */
    load(): Promise<void> {
        return this.enqueue(async () => {
            const result = await this.file.load();
            if (result.corrupt) this.options.onDamaged?.(result.corrupt);
            this.stats.addSaved(result.value);
        });
    }

    /** Saves now what was counted since the last save (nothing when nothing was). */
    save(): Promise<void> {
        clearTimeout(this.timer);
        this.timer = undefined;
        return this.enqueue(() => this.saveNow());
    }

    /** Saves what is pending and stops scheduling saves. */
    async dispose(): Promise<void> {
        this.closed = true;
        this.stopListening();
        await this.save();
        await this.file.dispose();
    }

    private schedule(): void {
        if (this.timer || this.closed) return;
        this.timer = setTimeout(() => {
            this.timer = undefined;
            void this.save();
        }, this.options.intervalMs ?? STATS_SAVE_INTERVAL_MS);
    }

    private enqueue(step: () => Promise<void>): Promise<void> {
        this.queue = this.queue.then(step).catch((error) => this.options.onError?.(error));
        return this.queue;
    }

    private async saveNow(): Promise<void> {
        const counted = this.stats.takeUnsaved();
        if (!counted) return;
        try {
            const current = await this.file.load();
            if (current.corrupt) this.options.onDamaged?.(current.corrupt);
            await this.file.save(addSnapshots(current.value, counted));
        } catch (error) {
            this.stats.giveBackUnsaved(counted);
            throw error;
        }
    }
}
