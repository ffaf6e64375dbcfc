/**
 * Inline completion: the standard LSP 3.18 `textDocument/inlineCompletion`, plus Apprentice's
 * namespaced additions (options in the params, timings in the result) and the stats request.
 * Defined once, used by the engine, the extension, tests and benchmarks.
 */
import { NotificationType, RequestType0 } from "vscode-languageserver-protocol";
import type {
    InlineCompletionItem,
    InlineCompletionList,
    InlineCompletionParams
} from "vscode-languageserver-protocol";

/** Generation options a client may send in `params.apprentice`; missing fields take the defaults. */
export interface CompletionOptions {
    /** Most lines of a multi-line suggestion. */
    maxLines: number;
    /** Most tokens generated for one suggestion. */
    maxTokens: number;
    /** Suggestions whose mean token probability is below this are not shown (0 shows everything). */
    minConfidence: number;
    /** Most alternatives for an explicit trigger (automatic triggers get one). */
    maxAlternatives: number;
    /** Milliseconds of generation allowed after the first line is complete. */
    timeAfterFirstLineMs: number;
    /** Prompt budget in tokens (cross-file context + prefix + suffix). */
    promptTokens: number;
    /** After an automatic suggestion is shown, compute the one that follows its acceptance in the background. */
    computeAhead: boolean;
}

export const COMPLETION_DEFAULTS: CompletionOptions = {
    maxLines: 8,
    maxTokens: 64,
    minConfidence: 0.6,
    maxAlternatives: 3,
    timeAfterFirstLineMs: 300,
    promptTokens: 640,
    computeAhead: true
};

function num(value: unknown, min: number, max: number, fallback: number): number {
    return typeof value === "number" && Number.isFinite(value)
        ? Math.min(max, Math.max(min, value))
        : fallback;
}

/** Untrusted JSON → complete, valid options. */
export function normalizeCompletionOptions(input: unknown): CompletionOptions {
    const o = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
    const d = COMPLETION_DEFAULTS;
    return {
        maxLines: Math.round(num(o.maxLines, 1, 100, d.maxLines)),
        maxTokens: Math.round(num(o.maxTokens, 1, 1024, d.maxTokens)),
        minConfidence: num(o.minConfidence, 0, 1, d.minConfidence),
        maxAlternatives: Math.round(num(o.maxAlternatives, 1, 5, d.maxAlternatives)),
        timeAfterFirstLineMs: Math.round(
            num(o.timeAfterFirstLineMs, 0, 60_000, d.timeAfterFirstLineMs)
        ),
        promptTokens: Math.round(num(o.promptTokens, 64, 16_384, d.promptTokens)),
        computeAhead: typeof o.computeAhead === "boolean" ? o.computeAhead : d.computeAhead
    };
}

/** `textDocument/inlineCompletion` params with Apprentice's optional options. */
export interface ApprenticeInlineCompletionParams extends InlineCompletionParams {
    apprentice?: Partial<CompletionOptions>;
}

/** Where a result came from: the local model, the cache, or the team's server (`apprentice.backend.*`). */
export type CompletionSource = "model" | "cache" | "typingAlong" | "server";

/** How long each phase took and how many tokens it touched. */
export interface CompletionTimings {
    source: CompletionSource;
    /** Prompt length in tokens. */
    promptTokens: number;
    /** Prompt tokens evaluated by this request (the rest came from the KV cache). */
    evaluatedTokens: number;
    /** Prompt tokens reused from the KV cache. */
    reusedTokens: number;
    /** Tokens generated (all alternatives). */
    generatedTokens: number;
    /** Draft-and-verify: tokens proposed from the document and earlier suggestions, and of those the ones the model confirmed (local model only). */
    draftedTokens?: number;
    acceptedDraftTokens?: number;
    /** Building and tokenizing the prompt. */
    buildMs: number;
    /** Evaluating the prompt, up to the first generated token. */
    promptMs: number;
    /** Generating after the first token. */
    generateMs: number;
    totalMs: number;
    /** Set when the team's server (this host) could not be reached and the local model answered instead. */
    fallbackFrom?: string;
}

/** Why a result has no items, or "ok". */
export type CompletionState =
    "ok" | "empty" | "lowConfidence" | "cancelled" | "noModel" | "unsupported" | "skipped";

/** Namespaced metadata on the result list (`list.apprentice`). */
export interface CompletionResultMeta {
    state: CompletionState;
    /** For a state other than ok: what happened and what to do. */
    message?: string;
    timings?: CompletionTimings;
}

/** Namespaced metadata on one item (`item.apprentice`). */
export interface CompletionItemMeta {
    /** Mean probability of the generated tokens kept, 0..1. */
    confidence: number;
}

export interface ApprenticeInlineCompletionItem extends InlineCompletionItem {
    apprentice?: CompletionItemMeta;
}

export interface ApprenticeInlineCompletionList extends InlineCompletionList {
    items: ApprenticeInlineCompletionItem[];
    apprentice?: CompletionResultMeta;
}

export const UNSUPPORTED_MESSAGE =
    "This model cannot do inline completion: it has no fill-in-the-middle tokens. Choose a code model with FIM (for example Qwen2.5-Coder or DeepSeek-Coder).";

/** Engine-side counters, for the status bar, the stats command and benchmarks. */
export interface EngineCompletionStats {
    requests: number;
    modelCalls: number;
    cacheHits: number;
    typingAlongHits: number;
    cancelled: number;
    lowConfidence: number;
    /** Latency percentiles (ms) of answered requests, model calls only. */
    latencyP50: number;
    latencyP95: number;
    last?: CompletionTimings;
    /** Whether the loaded model can do inline completion (undefined: no model). */
    fimSupported?: boolean;
    /** Most local generations that ran / waited at the same time since the model was loaded. */
    peakRunning?: number;
    peakWaiting?: number;
    /** Suggestions computed ahead (what follows a shown one once accepted): started, completed, and asked for while still being computed. */
    ahead?: BackgroundCounts;
    /** Prompts put into the KV cache where the cursor rested (apprentice/completion/prefetch). */
    prefetch?: BackgroundCounts;
}

export interface BackgroundCounts {
    started: number;
    completed: number;
    joined: number;
}

/**
 * Client → engine: the cursor rests at `position` (no typing for a moment). The engine may put the
 * prompt there into its KV cache in the background, so the first keystroke is cheap. Any request
 * aborts it. A hint: the engine may ignore it (busy, remote backend, file skipped).
 */
export interface CompletionPrefetchParams {
    textDocument: { uri: string };
    position: { line: number; character: number };
}

export namespace CompletionPrefetchNotification {
    export const method = "apprentice/completion/prefetch" as const;
    export const type = new NotificationType<CompletionPrefetchParams>(method);
}

/** Client → engine: completion counters. */
export namespace CompletionStatsRequest {
    export const method = "apprentice/completion/stats" as const;
    export const type = new RequestType0<EngineCompletionStats, void>(method);
}
