/**
 * Inline completion as a pipeline of named steps over one request (see steps.ts):
 *
 *   window → cache → context → generate (inference.current) → post-process → answer
 *
 * plus the work ahead of requests (the suggestion that follows a shown one, the prefetch where the
 * cursor rests; see speculation.ts). A newer request aborts the older one. It needs no connection:
 * the feature (completionFeature.ts) feeds it LSP requests, tests can feed it plain objects.
 */
import type { TextDocument } from "vscode-languageserver-textdocument";
import {
    COMPLETION_DEFAULTS,
    type ApprenticeInlineCompletionList,
    type CompletionOptions,
    type CompletionPrefetchParams,
    type EngineCompletionStats
} from "../../shared/completionProtocol";
import type { DocumentHealth } from "../documents/documentHealth";
import type { CompletionJob, Inference } from "../inference/inference";
import type { Logger } from "../log";
import type { SchedulerCounters } from "../modelHost/sequenceScheduler";
import type { CompletionRequest, WindowedRequest } from "./completionRequest";
import { CompletionStats } from "./completionStats";
import { ChunkStore, displayPath, type Chunk } from "./contextChunks";
import type { CursorWindow } from "./cursorWindow";
import { ResultCache } from "./resultCache";
import { Speculation, windowAfterAccepting, type BackgroundKind } from "./speculation";
import {
    answerStep,
    cachedTimings,
    failureStep,
    list,
    postProcessStep,
    round,
    windowStep
} from "./steps";

/** Prompt tokens evaluated between abort checks when computing a suggestion ahead (right after one is shown, when the user may type on at once). */
const AHEAD_PROMPT_SLICE = 16;
/** The same for a prefetch where the cursor rests: it has more to evaluate, and larger batches are faster. */
const PREFETCH_PROMPT_SLICE = 32;

export interface PipelineDeps {
    documents: { get(uri: string): TextDocument | undefined };
    health: Pick<DocumentHealth, "skipReason" | "usable">;
    /** Where inference runs now. */
    inference: () => Inference;
    /** Facts of the local model for the stats. */
    local: () => { fimSupported: boolean | undefined; peaks: SchedulerCounters | undefined };
    log: Logger;
}

export class CompletionPipeline {
    readonly chunks = new ChunkStore();
    private readonly cache = new ResultCache();
    private readonly stats = new CompletionStats();
    private readonly speculation = new Speculation();
    /** Requests that reached the generate step, to tell whether a newer one came while one waited. */
    private requestCount = 0;
    private inFlight: AbortController | undefined;
    /** Sticky cross-file context: chosen again only when the cursor moves to another block or file. */
    private sticky: { uri: string; block: number; chunks: Chunk[] } | undefined;

    constructor(private readonly deps: PipelineDeps) {}

    /** The model or the place of inference changed: nothing computed before applies. */
    reset(): void {
        this.inFlight?.abort();
        this.speculation.abort();
        this.cache.clear();
        this.sticky = undefined;
    }

    statsSnapshot(): EngineCompletionStats {
        const local = this.deps.local();
        return {
            ...this.stats.snapshot(local.fimSupported),
            ...local.peaks,
            ahead: { ...this.speculation.counts.ahead },
            prefetch: { ...this.speculation.counts.prefetch }
        };
    }

    /** Runs the steps for one request; `cancelled()` says whether the client gave up on it. */
    async provide(
        request: CompletionRequest,
        abort: AbortController,
        cancelled: () => boolean
    ): Promise<ApprenticeInlineCompletionList> {
        this.stats.request();
        // window
        const at = windowStep(
            this.deps.documents,
            this.deps.health,
            request.uri,
            request.position,
            request.automatic
        );
        if (!at.ok) return list([], { state: "skipped", message: at.reason });
        const windowed: WindowedRequest = Object.assign(request, {
            document: at.document,
            window: at.window
        });

        // Whatever is in flight was for an older keystroke; a suggestion computed ahead for this very
        // request is waited for (it lands in the cache), any other is aborted.
        this.inFlight?.abort();
        const ticket = ++this.requestCount;
        await this.speculation.settle(windowed.document.uri, windowed.window);
        if (cancelled() || ticket !== this.requestCount) {
            this.stats.cancelled();
            return list([], { state: "cancelled" });
        }

        // cache
        const hit = this.cache.get(
            windowed.document.uri,
            windowed.window.prefix,
            windowed.window.suffix
        );
        if (hit) {
            const timings = cachedTimings(hit.kind, performance.now() - request.started);
            this.stats.answered(timings);
            return this.answer(hit.result, windowed, timings);
        }

        // context → generate → post-process → answer
        const inference = this.deps.inference();
        this.inFlight = abort;
        try {
            windowed.chunks = this.contextStep(windowed.document.uri, windowed.window);
            const product = await inference.complete(
                this.job(
                    windowed,
                    request.automatic ? 1 : request.options.maxAlternatives,
                    abort.signal
                )
            );
            if (product.kind === "refused") return list([], product.meta);
            if (product.kind === "cancelled") {
                this.stats.cancelled();
                return list([], { state: "cancelled" });
            }
            const timings = {
                ...product.timings,
                totalMs: round(performance.now() - request.started)
            };
            const result = postProcessStep(
                product.suggestions,
                windowed.window,
                request.options.maxLines
            );
            this.cache.put(
                windowed.document.uri,
                windowed.window.prefix,
                windowed.window.suffix,
                result
            );
            this.stats.answered(timings);
            const answered = this.answer(result, windowed, timings);
            const shown = answered.items[0]?.insertText;
            if (
                request.automatic &&
                request.options.computeAhead &&
                inference.worksAhead &&
                typeof shown === "string"
            ) {
                this.computeAhead(
                    inference,
                    windowed.document.uri,
                    windowed.window,
                    shown,
                    request.options
                );
            }
            return answered;
        } catch (error) {
            const failure = failureStep(error, abort.signal);
            if (failure.meta.state === "cancelled") this.stats.cancelled();
            if (failure.log?.level === "warn")
                this.deps.log.warn(
                    `Inline completion from ${inference.host ?? "the server"} failed: ${failure.meta.message ?? ""}`
                );
            if (failure.log?.level === "error") this.deps.log.error(failure.log.text);
            return list([], failure.meta);
        } finally {
            if (this.inFlight === abort) this.inFlight = undefined;
        }
    }

    /** The cursor rests at a place: put the prompt there into the KV cache (nothing generated). */
    prefetch(params: CompletionPrefetchParams): void {
        const inference = this.deps.inference();
        if (this.inFlight || !inference.worksAhead) return;
        const position = params?.position;
        if (typeof position?.line !== "number" || typeof position.character !== "number") return;
        const at = windowStep(
            this.deps.documents,
            this.deps.health,
            params.textDocument?.uri,
            position,
            true
        );
        if (!at.ok || this.cache.get(at.document.uri, at.window.prefix, at.window.suffix)) return;
        this.inBackground(
            "prefetch",
            inference,
            at.document.uri,
            at.window,
            { ...COMPLETION_DEFAULTS, maxTokens: 0 },
            PREFETCH_PROMPT_SLICE,
            () => undefined
        );
    }

    /** context: other files' chunks for this window, kept while the cursor stays in its block. */
    private contextStep(uri: string, window: CursorWindow): Chunk[] {
        const block = window.startLine;
        if (this.sticky && this.sticky.uri === uri && this.sticky.block === block)
            return this.sticky.chunks;
        const lines = window.prefix.split("\n");
        const query = lines.slice(-24, -1).join("\n") + "\n" + window.suffix.slice(0, 400);
        const chosen = this.chunks.select(uri, query, (other) => this.deps.health.usable(other));
        this.sticky = { uri, block, chunks: chosen };
        return chosen;
    }

    private job(
        request: WindowedRequest,
        alternatives: number,
        signal: AbortSignal
    ): CompletionJob {
        return {
            uri: request.document.uri,
            path: displayPath(request.document.uri),
            window: request.window,
            chunks: request.chunks ?? [],
            options: request.options,
            alternatives,
            signal
        };
    }

    private answer(
        result: Parameters<typeof answerStep>[0],
        request: WindowedRequest,
        timings: Parameters<typeof answerStep>[2]
    ): ApprenticeInlineCompletionList {
        const answered = answerStep(result, request, timings);
        if (answered.lowConfidence) this.stats.lowConfidence();
        return answered.list;
    }

    /**
     * Work for a request not made yet (see speculation.ts): one generation for `window` after the
     * current answer has gone out, in small prompt slices so a keystroke that aborts it waits a few
     * tokens at most; `done` gets it unless it was aborted or the model changed.
     */
    private inBackground(
        kind: BackgroundKind,
        inference: Inference,
        uri: string,
        window: CursorWindow,
        options: CompletionOptions,
        promptSlice: number,
        done: (result: ReturnType<typeof postProcessStep>) => void
    ): void {
        this.speculation.start(kind, uri, window, async (signal) => {
            await new Promise((resolve) => setImmediate(resolve));
            if (signal.aborted) return false;
            const job: CompletionJob = {
                uri,
                path: displayPath(uri),
                window,
                chunks: this.contextStep(uri, window),
                options,
                alternatives: 1,
                signal,
                background: { promptSlice }
            };
            const product = await inference.complete(job);
            if (product.kind !== "generated" || signal.aborted) return false;
            done(postProcessStep(product.suggestions, window, options.maxLines));
            return true;
        });
    }

    /** The suggestion that follows once `shown` is accepted, into the result cache. */
    private computeAhead(
        inference: Inference,
        uri: string,
        window: CursorWindow,
        shown: string,
        options: CompletionOptions
    ): void {
        const next = windowAfterAccepting(window, shown);
        if (this.cache.get(uri, next.prefix, next.suffix)) return;
        this.inBackground("ahead", inference, uri, next, options, AHEAD_PROMPT_SLICE, (result) =>
            this.cache.put(uri, next.prefix, next.suffix, result)
        );
    }

    dispose(): void {
        this.reset();
        this.chunks.clear();
    }
}
