/**
 * Which documents features may use as model context. A file that usually holds secrets (`.env`,
 * `*.pem`, … and the user's `apprentice.secretFilePatterns`) never is. An open document is
 * skipped while it is too large, looks binary, or its copy may be out of sync after a change the
 * engine had to drop; it becomes usable again with a full-text change or when it is opened again.
 */
import { SecretFileMatcher } from "../../shared/secretFiles";
import { looksBinary, MAX_CONTEXT_DOCUMENT_CHARS } from "./syncChecks";

export type SkipReason = "secret" | "tooLarge" | "binary" | "outOfSync";

export class DocumentHealth {
    private readonly reasons = new Map<string, SkipReason>();
    private secrets = new SecretFileMatcher();

    constructor(private readonly maxChars = MAX_CONTEXT_DOCUMENT_CHARS) {}

    /** Applies the user's extra secret-file patterns (the built-in ones always apply). */
    setSecretPatterns(patterns: readonly string[]): void {
        this.secrets = new SecretFileMatcher(patterns);
    }

    /** Why features must not use this document (open or not) as context, or undefined when they may. */
    skipReason(uri: string): SkipReason | undefined {
        return this.secrets.isSecret(uri) ? "secret" : this.reasons.get(uri);
    }

    usable(uri: string): boolean {
        return this.skipReason(uri) === undefined;
    }

    /** After an open or a full-text change: judge the whole text. */
    judgeFullText(uri: string, text: string): void {
        this.set(
            uri,
            text.length > this.maxChars ? "tooLarge" : looksBinary(text) ? "binary" : undefined
        );
    }

    /** After incremental changes: only the new length and the inserted text need a look. */
    judgeIncremental(uri: string, length: number, insertedTexts: readonly string[]): void {
        if (this.reasons.get(uri) === "outOfSync") return;
        if (length > this.maxChars) this.set(uri, "tooLarge");
        else if (insertedTexts.some((t) => t.includes("\u0000"))) this.set(uri, "binary");
        else if (this.reasons.get(uri) === "tooLarge") this.set(uri, undefined);
    }

    /** The engine keeps no text of this document (it is over the size limit). */
    markTooLarge(uri: string): void {
        if (this.reasons.get(uri) !== "outOfSync") this.set(uri, "tooLarge");
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
