/**
 * Splits a streamed answer into thinking and answer text at `<think>` / `</think>`.
 * Tags may be split across chunks (a possible partial tag is held back until the next chunk).
 * R1-distill models get `<think>` from their template and emit only the closing `</think>`:
 * create the parser with `startInThinking` for them. A closing tag with no thinking open is
 * dropped, never shown.
 */
import type { ChatStreamPart } from "../../shared/chatProtocol";

export interface ThinkingPiece {
    part: ChatStreamPart;
    text: string;
}

const OPEN = "<think>";
const CLOSE = "</think>";

export class ThinkingParser {
    private mode: "start" | "thinking" | "answer";
    private held = "";
    private sawThinking = false;
    /** Just left thinking: the answer's leading blank lines are dropped. */
    private trimLeading = false;

    constructor(options: { startInThinking?: boolean } = {}) {
        this.mode = options.startInThinking ? "thinking" : "start";
        this.sawThinking = Boolean(options.startInThinking);
    }

    /** True once any thinking was seen (or the turn started inside it). */
    get hadThinking(): boolean {
        return this.sawThinking;
    }
    get inThinking(): boolean {
        return this.mode === "thinking";
    }

    push(chunk: string): ThinkingPiece[] {
        const out: ThinkingPiece[] = [];
        let text = this.held + chunk;
        this.held = "";
        while (text.length > 0) {
            if (this.mode === "start") {
                const trimmed = text.trimStart();
                if (trimmed.length === 0) {
                    this.held = text;
                    return out;
                }
                if (trimmed.startsWith(OPEN)) {
                    this.mode = "thinking";
                    this.sawThinking = true;
                    text = trimmed.slice(OPEN.length);
                    continue;
                }
                if (OPEN.startsWith(trimmed)) {
                    this.held = text;
                    return out;
                }
                this.mode = "answer";
                continue;
            }
            if (this.mode === "answer" && this.trimLeading) {
                text = text.replace(/^\s+/, "");
                if (text.length === 0) return out;
                this.trimLeading = false;
            }
            const at = text.indexOf(CLOSE);
            if (at >= 0) {
                emit(out, this.mode === "thinking" ? "thinking" : "answer", text.slice(0, at));
                if (this.mode === "thinking") {
                    this.mode = "answer";
                    this.trimLeading = true;
                }
                text = text.slice(at + CLOSE.length);
                continue;
            }
            const keep = partialSuffix(text, CLOSE);
            emit(
                out,
                this.mode === "thinking" ? "thinking" : "answer",
                text.slice(0, text.length - keep)
            );
            this.held = text.slice(text.length - keep);
            return out;
        }
        return out;
    }

    /** Flushes what was held back at the end of the stream. */
    end(): ThinkingPiece[] {
        const out: ThinkingPiece[] = [];
        const rest = this.held;
        this.held = "";
        if (rest.length > 0)
            emit(
                out,
                this.mode === "thinking" ? "thinking" : "answer",
                this.mode === "start" ? rest.trimStart() : rest
            );
        return out;
    }
}

function emit(out: ThinkingPiece[], kind: "thinking" | "answer", text: string): void {
    if (text.length === 0) return;
    const part: ChatStreamPart = kind === "thinking" ? "thinking" : "text";
    const last = out[out.length - 1];
    if (last && last.part === part) last.text += text;
    else out.push({ part, text });
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialSuffix(text: string, tag: string): number {
    for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
        if (text.endsWith(tag.slice(0, n))) return n;
    }
    return 0;
}

/** R1-distill templates end the generation prompt with `<think>\n`, so the model only writes `</think>`. */
export function opensThinking(template: string): boolean {
    const tail = template.slice(template.lastIndexOf("add_generation_prompt"));
    return /<think>/.test(tail);
}
