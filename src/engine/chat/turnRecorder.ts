/** Collects one chat turn's streamed parts (thinking and answer) and measures its timings. */
import type { ChatStreamPart, ChatTimings } from "../../shared/chatProtocol";

export class TurnRecorder {
    text = "";
    thinking = "";
    generated = 0;
    private firstAt: number | undefined;
    private thinkingStart: number | undefined;
    private thinkingEnd: number | undefined;

    constructor(
        private readonly arrived: number,
        private readonly onPart: (part: ChatStreamPart, text: string) => void
    ) {}

    /** `count` tokens (or chunks) were generated. */
    generatedTokens(count: number): void {
        this.generated += count;
        if (count > 0) this.firstAt ??= performance.now();
    }

    deliver(part: ChatStreamPart, piece: string): void {
        if (piece.length === 0) return;
        const now = performance.now();
        if (part === "thinking") {
            this.thinkingStart ??= now;
            this.thinking += piece;
        } else {
            if (this.thinkingStart !== undefined) this.thinkingEnd ??= now;
            this.text += piece;
        }
        this.onPart(part, piece);
    }

    timings(promptTokens: number): ChatTimings {
        const end = performance.now();
        if (this.thinkingStart !== undefined) this.thinkingEnd ??= end;
        const first = this.firstAt ?? end;
        const generated = this.generated;
        return {
            promptTokens,
            generatedTokens: generated,
            timeToFirstTokenMs: Math.round(first - this.arrived),
            tokensPerSecond:
                generated > 1 && end > first ? round1((generated - 1) / ((end - first) / 1000)) : 0,
            totalMs: Math.round(end - this.arrived),
            ...(this.thinkingStart !== undefined && this.thinkingEnd !== undefined
                ? { thinkingMs: Math.round(this.thinkingEnd - this.thinkingStart) }
                : {})
        };
    }
}

function round1(n: number): number {
    return Math.round(n * 10) / 10;
}
