/** What the inline completion feature reports after each answered request (tests and other extensions read it). */
import type { CompletionResultMeta } from "../../shared/completionProtocol";

/** One answered request: the items shown and the engine's state and timings. */
export interface CompletionEvent {
    uri: string;
    items: string[];
    meta: CompletionResultMeta | undefined;
    latencyMs: number;
}
