/**
 * Chat over LSP: namespaced custom methods (`apprentice/chat/...`), typed once and used by the
 * engine and every client. The client owns the conversation (it persists it) and sends the whole
 * history with each turn; the engine streams the answer as `apprentice/chat/progress`
 * notifications keyed by the turn id and answers the request when the turn ends.
 */
import { NotificationType, NotificationType0, RequestType } from "vscode-languageserver-protocol";

/** Code the user attached to a message: a selection or a whole file. */
export interface ChatAttachment {
    /** File name shown on the chip (e.g. `src/app.ts`). */
    name: string;
    languageId: string;
    /** 1-based inclusive line range; absent for a whole file. */
    startLine?: number;
    endLine?: number;
    text: string;
    /** The file it came from (a `file:` URI), so that its chip can open it. */
    uri?: string;
    /**
     * What an @-mention attached: `workspace` is a placeholder (no text yet) that becomes the chunks
     * of the workspace index that answer the question when the message is sent.
     */
    kind?: "workspace" | "problems" | "changes" | "symbol" | "file";
}

export interface ChatMessage {
    role: "user" | "assistant";
    text: string;
    attachments?: ChatAttachment[];
}

export interface ChatSendParams {
    /** Client-chosen id, unique per turn; progress notifications carry it. */
    turnId: string;
    /** Earlier messages of the conversation, oldest first, then the new user message last. */
    messages: ChatMessage[];
    /** Most tokens to generate (default: a quarter of the context, at most 1024). */
    maxTokens?: number;
    /** Optional system prompt replacing the default one. */
    system?: string;
}

export type ChatStreamPart = "text" | "thinking";

/** Engine → client, while a turn runs. */
export interface ChatProgressParams {
    turnId: string;
    part: ChatStreamPart;
    text: string;
}

export interface ChatTimings {
    /** Tokens of the prompt the model saw (after trimming). */
    promptTokens: number;
    generatedTokens: number;
    /** From the request arriving to the first generated text. */
    timeToFirstTokenMs: number;
    /** Generated tokens per second, measured from the first token to the end. */
    tokensPerSecond: number;
    totalMs: number;
    /** Time spent thinking (reasoning models), when there was any. */
    thinkingMs?: number;
}

/** What was left out so that the conversation fits the context window. */
export interface ChatTrimNote {
    droppedMessages: number;
    /** Characters cut from attachments of the last message (kept as long as possible). */
    truncatedAttachmentChars: number;
    message: string;
}

export type ChatStopReason = "end" | "stopped" | "maxTokens";

export interface ChatSendResult {
    turnId: string;
    text: string;
    thinking: string;
    stopReason: ChatStopReason;
    timings: ChatTimings;
    /** The prompt format used, e.g. the model's own template or the named fallback. */
    template: string;
    trimmed?: ChatTrimNote;
    /** Set when the team's server (this host) could not be reached and the local model answered instead. */
    fallbackFrom?: string;
}

/** Error codes of a failed `apprentice/chat/send` (in `ResponseError.data.code`). */
/** `server`: the team's server failed (see apprentice.backend.*); `secretFile`: an attachment may hold secrets and is not sent to a server. */
export type ChatErrorCode =
    "noModel" | "badRequest" | "tooLong" | "engineFailed" | "server" | "secretFile";

export interface ChatErrorData {
    code: ChatErrorCode;
    /** What the user can do about it. */
    action: string;
}

/** Client → engine: runs one chat turn; resolves when it ends (normally, by stop or by cancel). */
export namespace ChatSendRequest {
    export const method = "apprentice/chat/send" as const;
    export const type = new RequestType<ChatSendParams, ChatSendResult, ChatErrorData>(method);
}

/** Engine → client: a piece of the answer (or of its thinking) of a running turn. */
export namespace ChatProgressNotification {
    export const method = "apprentice/chat/progress" as const;
    export const type = new NotificationType<ChatProgressParams>(method);
}

export interface ChatStopParams {
    turnId: string;
}

/** Client → engine: stops a turn; its send request then resolves with `stopReason: "stopped"`. */
export namespace ChatStopRequest {
    export const method = "apprentice/chat/stop" as const;
    export const type = new RequestType<ChatStopParams, { stopped: boolean }, void>(method);
}

/** Checks a send request from any client; returns a reason when it is malformed. */
export function validateSendParams(params: unknown): string | undefined {
    if (typeof params !== "object" || params === null) return "params must be an object";
    const p = params as Partial<ChatSendParams>;
    if (typeof p.turnId !== "string" || p.turnId.length === 0)
        return "turnId must be a non-empty string";
    if (!Array.isArray(p.messages) || p.messages.length === 0)
        return "messages must be a non-empty array";
    for (const [i, m] of p.messages.entries()) {
        if (typeof m !== "object" || m === null) return `messages[${i}] must be an object`;
        if (m.role !== "user" && m.role !== "assistant")
            return `messages[${i}].role must be "user" or "assistant"`;
        if (typeof m.text !== "string") return `messages[${i}].text must be a string`;
        if (m.attachments !== undefined) {
            if (!Array.isArray(m.attachments)) return `messages[${i}].attachments must be an array`;
            for (const a of m.attachments) {
                if (typeof a?.text !== "string" || typeof a.name !== "string")
                    return `messages[${i}].attachments need name and text`;
            }
        }
    }
    if (p.messages[p.messages.length - 1].role !== "user")
        return "the last message must be the user's";
    if (p.maxTokens !== undefined && (typeof p.maxTokens !== "number" || p.maxTokens < 1))
        return "maxTokens must be a positive number";
    return undefined;
}

/**
 * Client → engine: the chat view is open, a question may come soon. The engine gets ready for the
 * first turn (works out the model's chat format, which takes a moment) instead of doing it when the
 * question arrives. A hint: nothing happens without a local model.
 */
export namespace ChatPrepareNotification {
    export const method = "apprentice/chat/prepare" as const;
    export const type = new NotificationType0(method);
}
