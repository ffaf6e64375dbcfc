/**
 * The engine's inline completion: serves LSP 3.18 `textDocument/inlineCompletion` over the synced
 * documents and `apprentice/completion/stats`. Reads a capped window around the cursor, answers
 * from the result cache (exact or typing along) when it can, otherwise builds a FIM prompt and
 * generates on the completion sequence, reusing its KV cache. A newer request aborts the older one.
 */
import type { CancellationToken, InlineCompletionParams, Position } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { InlineCompletionTriggerKind } from "vscode-languageserver";
import {
    COMPLETION_DEFAULTS,
    CompletionPrefetchNotification,
    CompletionStatsRequest,
    normalizeCompletionOptions,
    UNSUPPORTED_MESSAGE,
    type ApprenticeInlineCompletionItem,
    type ApprenticeInlineCompletionList,
    type ApprenticeInlineCompletionParams,
    type CompletionOptions,
    type CompletionPrefetchParams,
    type CompletionResultMeta,
    type CompletionTimings
} from "../../shared/completionProtocol";
import type { Backend } from "../remote/backend";
import type { EngineFeature, FeatureContext } from "../feature";
import type { LoadedModel } from "../modelHost/modelHost";
import { ChunkStore, displayPath, type Chunk } from "./contextChunks";
import { CompletionStats } from "./completionStats";
import { readCursorWindow, WINDOW_LIMITS, type CursorWindow } from "./cursorWindow";
import { readFimFormat, type FimFormat } from "../fim/fimTokens";
import { finalizeCompletion, trimCompletion } from "./postprocess";
import { buildPrompt } from "./promptBuilder";
import { completeRemotely } from "./remoteCompletion";
import { ResultCache, type CachedResult } from "./resultCache";
import { CompletionSession, type Generation } from "./session";
import { Speculation, windowAfterAccepting, type BackgroundKind } from "./speculation";

/** Prompt tokens evaluated between abort checks when computing a suggestion ahead (right after one is shown, when the user may type on at once). */
const AHEAD_PROMPT_SLICE = 16;
/** The same for a prefetch where the cursor rests: it has more to evaluate, and larger batches are faster. */
const PREFETCH_PROMPT_SLICE = 32;

interface ModelState {
    loaded: LoadedModel;
    format: FimFormat | undefined;
    session: CompletionSession | undefined;
}

function list(items: ApprenticeInlineCompletionItem[], meta: CompletionResultMeta): ApprenticeInlineCompletionList {
    return { items, apprentice: meta };
}

export function createCompletionFeature({ connection, documents, documentHealth, host, inference: backends, log }: FeatureContext): EngineFeature {
    const chunks = new ChunkStore();
    const cache = new ResultCache();
    const stats = new CompletionStats();
    const speculation = new Speculation();
    /** Requests that reached the model path, to tell whether a newer one came while one waited. */
    let requestCount = 0;
    let state: ModelState | undefined;
    let inFlight: AbortController | undefined;
    /** Sticky cross-file context: chosen again only when the cursor moves to another block or file. */
    let sticky: { uri: string; block: number; chunks: Chunk[] } | undefined;

    const onModel = (loaded: LoadedModel | undefined) => {
        inFlight?.abort();
        speculation.abort();
        cache.clear();
        sticky = undefined;
        if (!loaded) { state = undefined; return; }
        const format = readFimFormat(loaded.model);
        if (!format) log.warn(`Inline completion is off: ${UNSUPPORTED_MESSAGE}`);
        state = { loaded, format, session: format ? new CompletionSession(loaded.completionSequence, loaded.completionScheduler, loaded.model) : undefined };
    };
    const modelSubscription = host.onDidChangeModel(onModel);
    if (host.loaded) onModel(host.loaded);
    // Answers of one backend are not answers of another: forget them when the backend changes.
    let backendKey = `${backends.backend.kind} ${backends.backend.host ?? ""}`;
    const backendSubscription = backends.onDidChangeStatus((status) => {
        const key = `${status.kind} ${status.host ?? ""}`;
        if (key === backendKey) return;
        backendKey = key;
        inFlight?.abort();
        speculation.abort();
        cache.clear();
    });

    const remember = (uri: string) => {
        const document = documents.get(uri);
        if (document && documentHealth.usable(uri)) chunks.remember(uri, () => document.getText());
    };
    const subscriptions = [
        modelSubscription,
        backendSubscription,
        documents.onDidOpen((e) => remember(e.document.uri)),
        documents.onDidChangeContent((e) => remember(e.document.uri)),
        documents.onDidSave((e) => remember(e.document.uri)),
        documents.onDidClose((e) => chunks.forget(e.document.uri)),
        connection.onRequest(CompletionStatsRequest.type, () => ({ ...stats.snapshot(state ? state.format !== undefined : undefined), ...state?.session?.peaks, ahead: { ...speculation.counts.ahead }, prefetch: { ...speculation.counts.prefetch } })),
        connection.onNotification(CompletionPrefetchNotification.type, (params) => prefetch(params)),
        connection.languages.inlineCompletion.on((params, token) => provide(params, token))
    ];

    function contextChunks(uri: string, window: CursorWindow): Chunk[] {
        const block = window.startLine;
        if (sticky && sticky.uri === uri && sticky.block === block) return sticky.chunks;
        const lines = window.prefix.split("\n");
        const query = lines.slice(-24, -1).join("\n") + "\n" + window.suffix.slice(0, 400);
        const chosen = chunks.select(uri, query, (other) => documentHealth.usable(other));
        sticky = { uri, block, chunks: chosen };
        return chosen;
    }

    /** The window around `position`, or why Apprentice does not complete there. */
    function windowAt(uri: string, position: Position, automatic: boolean): { ok: true; document: TextDocument; window: CursorWindow } | { ok: false; reason: string } {
        const document = documents.get(uri);
        if (!document) return { ok: false, reason: "The document is not open in the engine." };
        const health = documentHealth.skipReason(document.uri);
        if (health === "secret") return { ok: false, reason: "This file may hold secrets (apprentice.secretFilePatterns); Apprentice does not complete in it." };
        if (health === "outOfSync") return { ok: false, reason: "The engine's copy of this file may be out of date; reopen the file." };
        const size = document.offsetAt({ line: document.lineCount, character: 0 });
        if (automatic && size > WINDOW_LIMITS.documentChars) return { ok: false, reason: "The file is too large for automatic completion." };
        const read = readCursorWindow(document, position);
        if (!read.ok) return read;
        if (automatic && read.window.lineSuffix.trim().length > WINDOW_LIMITS.rightOfCursorChars) return { ok: false, reason: "Too much text right of the cursor." };
        return { ok: true, document, window: read.window };
    }

    async function provide(params: InlineCompletionParams, token: CancellationToken): Promise<ApprenticeInlineCompletionList> {
        const started = performance.now();
        stats.request();
        const options = normalizeCompletionOptions((params as ApprenticeInlineCompletionParams).apprentice);
        const automatic = params.context.triggerKind === InlineCompletionTriggerKind.Automatic;
        const at = windowAt(params.textDocument.uri, params.position, automatic);
        if (!at.ok) return list([], { state: "skipped", message: at.reason });
        const { document, window } = at;

        // Whatever is in flight was for an older keystroke; a suggestion computed ahead for this very
        // request is waited for (it lands in the cache), any other is aborted.
        inFlight?.abort();
        const ticket = ++requestCount;
        await speculation.settle(document.uri, window);
        if (token.isCancellationRequested || ticket !== requestCount) { stats.cancelled(); return list([], { state: "cancelled" }); }
        const hit = cache.get(document.uri, window.prefix, window.suffix);
        if (hit) {
            const timings = cachedTimings(hit.kind, performance.now() - started);
            stats.answered(timings);
            return answer(hit.result, params, options, timings, automatic);
        }
        const backend = backends.backend;
        if (backend.kind !== "local") return provideRemotely(backend, document.uri, window, params, options, automatic, token, started);
        const current = state;
        if (!current) return list([], { state: "noModel", message: "No model is loaded. Choose a GGUF model file." });
        if (!current.format || !current.session) return list([], { state: "unsupported", message: UNSUPPORTED_MESSAGE });

        const abort = new AbortController();
        inFlight = abort;
        const cancel = token.onCancellationRequested(() => abort.abort());
        try {
            const generations = await generateLocally(current, document.uri, window, options, automatic ? 1 : options.maxAlternatives, abort.signal);
            if (abort.signal.aborted || generations.some((g) => g.aborted)) {
                stats.cancelled();
                return list([], { state: "cancelled" });
            }
            const first = generations[0];
            const timings: CompletionTimings = {
                source: "model",
                promptTokens: first.promptTokens,
                evaluatedTokens: generations.reduce((n, g) => n + g.evaluatedTokens, 0),
                reusedTokens: first.reusedTokens,
                generatedTokens: generations.reduce((n, g) => n + g.generatedTokens, 0),
                buildMs: round(first.buildMs),
                promptMs: round(first.promptMs),
                generateMs: round(generations.reduce((n, g) => n + g.generateMs, 0)),
                totalMs: round(performance.now() - started)
            };
            const result = collect(generations, window, options.maxLines);
            cache.put(document.uri, window.prefix, window.suffix, result);
            stats.answered(timings);
            const answered = answer(result, params, options, timings, automatic);
            const shown = answered.items[0]?.insertText;
            if (automatic && options.computeAhead && typeof shown === "string") computeAhead(current, document.uri, window, shown, options);
            return answered;
        } catch (error) {
            return failed(error, abort.signal);
        } finally {
            cancel.dispose();
            if (inFlight === abort) inFlight = undefined;
        }
    }

    /** Builds the prompt for `window` and generates `alternatives` suggestions on the completion sequence. */
    async function generateLocally(current: ModelState, uri: string, window: CursorWindow, options: CompletionOptions,
        alternatives: number, signal: AbortSignal, promptSlice?: number): Promise<(Generation & { buildMs: number })[]> {
        const started = performance.now();
        const format = current.format!;
        const prompt = buildPrompt(current.loaded.model, format, {
            prefix: window.prefix,
            suffix: window.suffix,
            path: displayPath(uri),
            chunks: contextChunks(uri, window),
            budget: Math.min(options.promptTokens, current.loaded.completionSequence.contextSize - options.maxTokens - 8)
        });
        const buildMs = performance.now() - started;
        const generations: (Generation & { buildMs: number })[] = [];
        for (let i = 0; i < alternatives && !signal.aborted; i++) {
            const generation = await current.session!.generate(prompt.tokens, {
                maxTokens: options.maxTokens,
                shouldStop: (text) => trimCompletion(text, window, options.maxLines).stop,
                stopTokens: format.stopTokens,
                temperature: i === 0 ? 0 : 0.8,
                seed: i,
                signal,
                timeAfterFirstLineMs: options.timeAfterFirstLineMs,
                promptSlice
            });
            generations.push({ ...generation, buildMs });
        }
        return generations;
    }

    /**
     * Background work for a request not made yet (see speculation.ts): one generation for `window`
     * after the current answer has gone out, in small prompt slices so a keystroke that aborts it
     * waits a few tokens at most; `done` gets it unless it was aborted or the model changed.
     */
    function inBackground(kind: BackgroundKind, current: ModelState, uri: string, window: CursorWindow, options: CompletionOptions,
        promptSlice: number, done: (generation: Generation) => void): void {
        speculation.start(kind, uri, window, async (signal) => {
            await new Promise((resolve) => setImmediate(resolve));
            if (signal.aborted || state !== current) return false;
            const [generation] = await generateLocally(current, uri, window, options, 1, signal, promptSlice);
            if (!generation || generation.aborted || signal.aborted || state !== current) return false;
            done(generation);
            return true;
        });
    }

    /** The suggestion that follows once `shown` is accepted, into the result cache. */
    function computeAhead(current: ModelState, uri: string, window: CursorWindow, shown: string, options: CompletionOptions): void {
        const next = windowAfterAccepting(window, shown);
        if (cache.get(uri, next.prefix, next.suffix)) return;
        inBackground("ahead", current, uri, next, options, AHEAD_PROMPT_SLICE,
            (generation) => cache.put(uri, next.prefix, next.suffix, collect([generation], next, options.maxLines)));
    }

    /** The cursor rests at a place: put the prompt there into the KV cache (nothing generated). */
    function prefetch(params: CompletionPrefetchParams): void {
        const current = state;
        if (inFlight || backends.backend.kind !== "local" || !current?.format || !current.session) return;
        const position = params?.position;
        if (typeof position?.line !== "number" || typeof position.character !== "number") return;
        const at = windowAt(params.textDocument?.uri, position, true);
        if (!at.ok || cache.get(at.document.uri, at.window.prefix, at.window.suffix)) return;
        inBackground("prefetch", current, at.document.uri, at.window, { ...COMPLETION_DEFAULTS, maxTokens: 0 }, PREFETCH_PROMPT_SLICE, () => undefined);
    }

    async function provideRemotely(backend: Backend, uri: string, window: CursorWindow, params: InlineCompletionParams, options: CompletionOptions,
        automatic: boolean, token: CancellationToken, started: number): Promise<ApprenticeInlineCompletionList> {
        // Secret files were refused above, for every backend.
        const abort = new AbortController();
        inFlight = abort;
        const cancel = token.onCancellationRequested(() => abort.abort());
        try {
            const buildMs = performance.now() - started;
            const outcome = await completeRemotely(backend, documentHealth, window, contextChunks(uri, window), options, abort.signal);
            if (!outcome.ok) {
                if (outcome.meta.state === "cancelled") stats.cancelled();
                else log.warn(`Inline completion from ${backend.host ?? backend.kind} failed: ${outcome.meta.message ?? ""}`);
                return list([], outcome.meta);
            }
            const totalMs = performance.now() - started;
            const timings: CompletionTimings = {
                source: "server", promptTokens: 0, evaluatedTokens: 0, reusedTokens: 0, generatedTokens: 0,
                buildMs: round(buildMs), promptMs: 0, generateMs: round(totalMs - buildMs), totalMs: round(totalMs)
            };
            cache.put(uri, window.prefix, window.suffix, outcome.result);
            stats.answered(timings);
            return answer(outcome.result, params, options, timings, automatic);
        } catch (error) {
            return failed(error, abort.signal);
        } finally {
            cancel.dispose();
            if (inFlight === abort) inFlight = undefined;
        }
    }

    function failed(error: unknown, signal: AbortSignal): ApprenticeInlineCompletionList {
        if (signal.aborted) { stats.cancelled(); return list([], { state: "cancelled" }); }
        log.error(`Inline completion failed: ${error instanceof Error ? error.message : String(error)}`);
        return list([], { state: "empty", message: "The completion failed; see the log." });
    }

    function answer(result: CachedResult, params: InlineCompletionParams, options: CompletionOptions, timings: CompletionTimings, automatic: boolean): ApprenticeInlineCompletionList {
        const items: ApprenticeInlineCompletionItem[] = [];
        result.texts.forEach((text, i) => {
            if (result.confidences[i] < options.minConfidence) return;
            items.push({
                insertText: text,
                range: { start: params.position, end: params.position },
                apprentice: { confidence: result.confidences[i] }
            });
        });
        const shown = automatic ? items.slice(0, 1) : items;
        if (shown.length === 0 && result.texts.length > 0) {
            stats.lowConfidence();
            return list([], { state: "lowConfidence", message: "The model is not confident enough; nothing is shown.", timings });
        }
        return list(shown, { state: shown.length > 0 ? "ok" : "empty", timings });
    }

    return {
        capabilities: { inlineCompletionProvider: true },
        methods: [CompletionStatsRequest.method, CompletionPrefetchNotification.method],
        dispose() {
            inFlight?.abort();
            speculation.abort();
            for (const s of subscriptions) s.dispose();
            cache.clear();
            chunks.clear();
        }
    };
}

function round(ms: number): number { return Math.round(ms * 10) / 10; }

function cachedTimings(source: "cache" | "typingAlong", totalMs: number): CompletionTimings {
    return { source, promptTokens: 0, evaluatedTokens: 0, reusedTokens: 0, generatedTokens: 0, buildMs: 0, promptMs: 0, generateMs: 0, totalMs: round(totalMs) };
}

/** Final texts of the alternatives, deduplicated, with their mean token probability. */
function collect(generations: Generation[], window: CursorWindow, maxLines: number): CachedResult {
    const texts: string[] = [];
    const confidences: number[] = [];
    for (const g of generations) {
        const text = finalizeCompletion(g.text, window, maxLines);
        if (text === "" || texts.includes(text)) continue;
        texts.push(text);
        confidences.push(g.confidences.length ? g.confidences.reduce((a, b) => a + b, 0) / g.confidences.length : 0);
    }
    return { texts, confidences };
}
