/**
 * The one seam between the features and the model: "produce a completion" and "produce a chat
 * turn". Completion and chat call `context.inference.current` and never ask where the model runs:
 *
 *     const produced = await inference.current.complete(job);          // raw suggestions + timings
 *     const result = await inference.current.chat(turn, signal, arrived);
 *
 * - LocalInference is the tuned local code itself (CompletionSession + promptBuilder, ChatService's
 *   local turn), on the model host's sequences through their schedulers;
 * - RemoteInference asks a team server (llama.cpp `/infill`, OpenAI-compatible endpoints);
 * - FallbackInference asks the server and, while it cannot be reached, the very same LocalInference,
 *   so a fallback answer gets the same prompt layout, filter and post-processing as a local one,
 *   and says where it came from (`fallbackFrom`).
 * Server failures are BackendErrors (see errors.ts); an aborted job resolves as `cancelled`.
 */
import type { ChatSendResult } from "../../shared/chatProtocol";
import type {
    CompletionOptions,
    CompletionResultMeta,
    CompletionTimings
} from "../../shared/completionProtocol";
import type { TurnRequest } from "../chat/turnRequest";
import type { Chunk } from "../completion/contextChunks";
import type { CursorWindow } from "../completion/cursorWindow";

/** What a completion is asked for: the text around the cursor and the context chosen for it. */
export interface CompletionJob {
    uri: string;
    /** Shown path of the file (repo-level prompts name it). */
    path: string;
    window: CursorWindow;
    /** Cross-file context, best first. */
    chunks: readonly Chunk[];
    options: CompletionOptions;
    /** Suggestions wanted (1 when typing, up to options.maxAlternatives on an explicit trigger). */
    alternatives: number;
    signal: AbortSignal;
    /** Work ahead of a request (the suggestion ahead, the prefetch): only on this machine's model, never sent to a server. */
    background?: { promptSlice: number };
}

/** One generated suggestion, before post-processing. */
export interface RawSuggestion {
    text: string;
    /** Mean probability of its tokens, 0..1 (a server reports none: 1). */
    confidence: number;
}

/** Timings of a produced completion; the feature adds the total. */
export type ProducedTimings = Omit<CompletionTimings, "totalMs">;

export type CompletionProduct =
    | { kind: "generated"; suggestions: RawSuggestion[]; timings: ProducedTimings }
    | { kind: "cancelled" }
    /** Nothing can be produced here (no model, a model without FIM tokens): the answer's state and message. */
    | { kind: "refused"; meta: CompletionResultMeta };

export interface Inference {
    /** `host:port` that code is sent to; undefined when inference stays on this machine. */
    readonly host: string | undefined;
    /** Whether work ahead of a request (the suggestion ahead, the prefetch) runs here: only on this machine's model. */
    readonly worksAhead: boolean;
    complete(job: CompletionJob): Promise<CompletionProduct>;
    /** One chat turn, streamed through `request.onPart`; `arrived` is when the request came (for timings). */
    chat(request: TurnRequest, signal: AbortSignal, arrived: number): Promise<ChatSendResult>;
    /** Works out what the first chat turn needs (the chat format) ahead of it, where that costs something. */
    prepareChat(): void;
}
