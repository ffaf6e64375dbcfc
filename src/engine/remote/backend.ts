/**
 * Where completions and chat answers come from. Completion and chat call a `Backend` and never
 * care whether it is the local model or a server:
 *
 *     const text = await backend.infill({ prefix, suffix, maxTokens: 64 }, signal);
 *     for await (const chunk of backend.chat({ messages, maxTokens: 512 }, signal)) send(chunk);
 *
 * Aborting `signal` really stops the work (the HTTP request is closed, or local generation stops).
 * Failures are `BackendError`s (see errors.ts) with a code and a message for the user.
 */
import type { BackendKind } from "../../shared/backend";

/** Text from another file that helps the completion (llama.cpp's `input_extra`). */
export interface ExtraContext {
    filename: string;
    text: string;
}

export interface InfillRequest {
    /** Text before the cursor (may include the start of the current line). */
    prefix: string;
    /** Text after the cursor. */
    suffix: string;
    /** Chunks from other files, oldest first. Backends without support put them before the prefix. */
    extra?: readonly ExtraContext[];
    maxTokens: number;
    temperature?: number;
    /** Stop generating when one of these appears (it is not part of the result). */
    stop?: readonly string[];
}

export interface ChatMessage {
    role: "system" | "user" | "assistant";
    content: string;
}

export interface ChatRequest {
    messages: readonly ChatMessage[];
    maxTokens: number;
    temperature?: number;
}

export interface Backend {
    readonly kind: BackendKind;
    /** `host:port` that code is sent to; undefined when inference stays on this machine. */
    readonly host: string | undefined;
    /** Fill-in-the-middle: the text to insert at the cursor. */
    infill(request: InfillRequest, signal: AbortSignal): Promise<string>;
    /** A chat answer, streamed as text chunks. */
    chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<string>;
    /** Model names the backend offers (for a connection check). */
    models(signal: AbortSignal): Promise<string[]>;
    dispose(): void;
}
