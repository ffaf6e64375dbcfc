/**
 * Which open documents features may use as model context. A document is skipped while it is too
 * large, looks binary, or its copy may be out of sync after a change the engine had to drop; it
 * becomes usable again with a full-text change or when it is opened again.
 */
import { looksBinary, MAX_CONTEXT_DOCUMENT_CHARS } from "./syncChecks";

export type SkipReason = "tooLarge" | "binary" | "outOfSync";

export class DocumentHealth {
    private readonly reasons = new Map<string, SkipReason>();

    constructor(private readonly maxChars = MAX_CONTEXT_DOCUMENT_CHARS) {}

    /** Why features must not use this document, or undefined when they may. */
    skipReason(uri: string): SkipReason | undefined {
        return this.reasons.get(uri);
    }

    usable(uri: string): boolean {
        return !this.reasons.has(uri);
    }

    /** After an open or a full-text change: judge the whole text. */
    judgeFullText(uri: string, text: string): void {
        this.set(uri, text.length > this.maxChars ? "tooLarge" : looksBinary(text) ? "binary" : undefined);
    }

    /** After incremental changes: only the new length and the inserted text need a look. */
    judgeIncremental(uri: string, length: number, insertedTexts: readonly string[]): void {
        if (this.reasons.get(uri) === "outOfSync") return;
        if (length > this.maxChars) this.set(uri, "tooLarge");
        else if (insertedTexts.some((t) => t.includes("\u0000"))) this.set(uri, "binary");
        else if (this.reasons.get(uri) === "tooLarge") this.set(uri, undefined);
    }

    markOutOfSync(uri: string): void {
        this.set(uri, "outOfSync");
    }

    forget(uri: string): void {
        this.reasons.delete(uri);
    }

    private set(uri: string, reason: SkipReason | undefined): void {
        if (reason) this.reasons.set(uri, reason);
        else this.reasons.delete(uri);
    }
}
