/**
 * The named steps of an inline completion, as plain functions (each tested without a connection or
 * a model): window → cache → context → generate (the inference seam) → post-process → answer.
 */
import type { TextDocument } from "vscode-languageserver-textdocument";
import type {
    ApprenticeInlineCompletionItem,
    ApprenticeInlineCompletionList,
    CompletionResultMeta,
    CompletionTimings
} from "../../shared/completionProtocol";
import type { DocumentHealth } from "../documents/documentHealth";
import { isBackendError } from "../inference/errors";
import type { RawSuggestion } from "../inference/inference";
import type { CompletionRequest } from "./completionRequest";
import { readCursorWindow, WINDOW_LIMITS, type CursorWindow } from "./cursorWindow";
import { finalizeCompletion } from "./postprocess";
import type { CachedResult } from "./resultCache";

export function list(
    items: ApprenticeInlineCompletionItem[],
    meta: CompletionResultMeta
): ApprenticeInlineCompletionList {
    return { items, apprentice: meta };
}

export type WindowOutcome =
    { ok: true; document: TextDocument; window: CursorWindow } | { ok: false; reason: string };

/** window: the text around the cursor, or why Apprentice does not complete there. */
export function windowStep(
    documents: { get(uri: string): TextDocument | undefined },
    health: Pick<DocumentHealth, "skipReason">,
    uri: string,
    position: CompletionRequest["position"],
    automatic: boolean
): WindowOutcome {
    const document = documents.get(uri);
    if (!document) return { ok: false, reason: "The document is not open in the engine." };
    const skip = health.skipReason(document.uri);
    if (skip === "secret")
        return {
            ok: false,
            reason: "This file may hold secrets (apprentice.secretFilePatterns); Apprentice does not complete in it."
        };
    if (skip === "outOfSync")
        return {
            ok: false,
            reason: "The engine's copy of this file may be out of date; reopen the file."
        };
    const size = document.offsetAt({ line: document.lineCount, character: 0 });
    if (automatic && size > WINDOW_LIMITS.documentChars)
        return { ok: false, reason: "The file is too large for automatic completion." };
    const read = readCursorWindow(document, position);
    if (!read.ok) return read;
    if (automatic && read.window.lineSuffix.trim().length > WINDOW_LIMITS.rightOfCursorChars)
        return { ok: false, reason: "Too much text right of the cursor." };
    return { ok: true, document, window: read.window };
}

/** post-process: the final texts of the suggestions, deduplicated, with their confidence. */
export function postProcessStep(
    suggestions: readonly RawSuggestion[],
    window: CursorWindow,
    maxLines: number
): CachedResult {
    const texts: string[] = [];
    const confidences: number[] = [];
    for (const suggestion of suggestions) {
        const text = finalizeCompletion(suggestion.text, window, maxLines);
        if (text === "" || texts.includes(text)) continue;
        texts.push(text);
        confidences.push(suggestion.confidence);
    }
    return { texts, confidences };
}

export interface Answer {
    list: ApprenticeInlineCompletionList;
    /** Suggestions there were, all below the confidence threshold. */
    lowConfidence: boolean;
}

/** answer: the items above the confidence threshold (one when typing), with the request's metadata. */
export function answerStep(
    result: CachedResult,
    request: Pick<CompletionRequest, "position" | "options" | "automatic">,
    timings: CompletionTimings
): Answer {
    const items: ApprenticeInlineCompletionItem[] = [];
    result.texts.forEach((text, i) => {
        if (result.confidences[i] < request.options.minConfidence) return;
        items.push({
            insertText: text,
            range: { start: request.position, end: request.position },
            apprentice: { confidence: result.confidences[i] }
        });
    });
    const shown = request.automatic ? items.slice(0, 1) : items;
    if (shown.length === 0 && result.texts.length > 0) {
        return {
            list: list([], {
                state: "lowConfidence",
                message: "The model is not confident enough; nothing is shown.",
                timings
            }),
            lowConfidence: true
        };
    }
    return {
        list: list(shown, { state: shown.length > 0 ? "ok" : "empty", timings }),
        lowConfidence: false
    };
}

/** What a failed generation answers: cancelled, the server's error with what to do, or a pointer to the log. */
export function failureStep(
    error: unknown,
    signal: AbortSignal
): { meta: CompletionResultMeta; log?: { level: "warn" | "error"; text: string } } {
    if (signal.aborted) return { meta: { state: "cancelled" } };
    if (isBackendError(error))
        return {
            meta: { state: "empty", message: `${error.message} ${error.action}` },
            log: { level: "warn", text: error.message }
        };
    return {
        meta: { state: "empty", message: "The completion failed; see the log." },
        log: {
            level: "error",
            text: `Inline completion failed: ${error instanceof Error ? error.message : String(error)}`
        }
    };
}

export function round(ms: number): number {
    return Math.round(ms * 10) / 10;
}

export function cachedTimings(source: "cache" | "typingAlong", totalMs: number): CompletionTimings {
    return {
        source,
        promptTokens: 0,
        evaluatedTokens: 0,
        reusedTokens: 0,
        generatedTokens: 0,
        buildMs: 0,
        promptMs: 0,
        generateMs: 0,
        totalMs: round(totalMs)
    };
}
