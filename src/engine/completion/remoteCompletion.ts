/**
 * Inline completion answered by a team's server (`apprentice.backend.kind` other than local): one
 * `infill` request with the cursor window and the cross-file chunks, trimmed by the same rules as
 * the local model's text. Secret files are never sent (the feature refuses to complete in one, and
 * they are never extra context: checked again here, just before anything leaves the machine).
 */
import type { CompletionOptions, CompletionResultMeta } from "../../shared/completionProtocol";
import type { Backend } from "../remote/backend";
import { isBackendError } from "../inference/errors";
import type { DocumentHealth } from "../documents/documentHealth";
import type { Chunk } from "./contextChunks";
import type { CursorWindow } from "./cursorWindow";
import { finalizeCompletion } from "./postprocess";
import type { CachedResult } from "./resultCache";

export type RemoteOutcome =
    | { ok: true; result: CachedResult }
    | { ok: false; meta: CompletionResultMeta };

export async function completeRemotely(
    backend: Backend,
    health: DocumentHealth,
    window: CursorWindow,
    chunks: readonly Chunk[],
    options: CompletionOptions,
    signal: AbortSignal
): Promise<RemoteOutcome> {
    const extra = chunks.filter((c) => health.usable(c.uri)).map((c) => ({ filename: c.path, text: c.text }));
    try {
        const text = await backend.infill({ prefix: window.prefix, suffix: window.suffix, extra, maxTokens: options.maxTokens, temperature: 0 }, signal);
        const final = finalizeCompletion(text, window, options.maxLines);
        // Servers report no token probabilities: a server's answer counts as confident.
        return { ok: true, result: final === "" ? { texts: [], confidences: [] } : { texts: [final], confidences: [1] } };
    } catch (error) {
        if (signal.aborted) return { ok: false, meta: { state: "cancelled" } };
        if (isBackendError(error)) return { ok: false, meta: { state: "empty", message: `${error.message} ${error.action}` } };
        throw error;
    }
}
