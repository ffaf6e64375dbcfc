/**
 * Streams a chat turn's parts in fewer notifications: the first piece goes out at once (the time to
 * first token is what a person waits for), later pieces of the same part are joined and sent when
 * `maxPieces` have gathered or `maxDelayMs` after the first of them, whichever comes first, and
 * whatever is left when the turn ends. One JSON-RPC notification per token cost the engine and the
 * extension host a message each (about 110 a second on a small model); joined, the text that
 * arrives is the same, in the same order.
 */
import type { ChatStreamPart } from "../../shared/chatProtocol";

export interface PartBatcherOptions {
    /** Longest a piece waits for others (default 50 ms: 20 updates a second). */
    maxDelayMs?: number;
    /** Pieces joined into one notification at most (default 8). */
    maxPieces?: number;
}

export class PartBatcher {
    private part: ChatStreamPart | undefined;
    private text = "";
    private pieces = 0;
    private sentAny = false;
    private timer: ReturnType<typeof setTimeout> | undefined;
    private readonly maxDelayMs: number;
    private readonly maxPieces: number;

    constructor(
        private readonly send: (part: ChatStreamPart, text: string) => void,
        options: PartBatcherOptions = {}
    ) {
        this.maxDelayMs = options.maxDelayMs ?? 50;
        this.maxPieces = options.maxPieces ?? 8;
    }

    push(part: ChatStreamPart, text: string): void {
        if (text.length === 0) return;
        if (!this.sentAny) {
            this.sentAny = true;
            this.send(part, text);
            return;
        }
        if (this.part !== undefined && this.part !== part) this.flush();
        this.part = part;
        this.text += text;
        this.pieces++;
        if (this.pieces >= this.maxPieces) this.flush();
        else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
    }

    /** Sends what is waiting (call when the turn ends, before its answer). */
    flush(): void {
        if (this.timer !== undefined) clearTimeout(this.timer);
        this.timer = undefined;
        if (this.part === undefined) return;
        const { part, text } = this;
        this.part = undefined;
        this.text = "";
        this.pieces = 0;
        this.send(part, text);
    }
}
