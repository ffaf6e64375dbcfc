/**
 * A chat turn answered by a team's server (`apprentice.backend.kind` other than local): the system
 * prompt and the history with attachments rendered as text, streamed through the same thinking
 * parser as the local model. Attachments from secret files are never sent.
 */
import type { ChatSendResult } from "../../shared/chatProtocol";
import type { Backend, ChatMessage as BackendMessage } from "../remote/backend";
import { DEFAULT_SYSTEM_PROMPT, userText } from "./promptFit";
import { ThinkingParser } from "./thinkingParser";
import { TurnRecorder } from "./turnRecorder";
import type { TurnRequest } from "./turnRequest";

export class SecretAttachmentError extends Error {
    override readonly name = "SecretAttachmentError";
}

/** The most tokens asked of a server when the client sets no limit (its context size is unknown here). */
const DEFAULT_MAX_TOKENS = 1024;

export async function runRemoteTurn(
    backend: Backend,
    request: TurnRequest,
    signal: AbortSignal,
    arrived: number,
    isSecret: (name: string) => boolean
): Promise<ChatSendResult> {
    const secret = request.messages
        .flatMap((m) => m.attachments ?? [])
        .find((a) => isSecret(a.name));
    if (secret)
        throw new SecretAttachmentError(
            `"${secret.name}" may hold secrets, so it is not sent to ${backend.host ?? "the server"}.`
        );
    const maxTokens = Math.max(1, request.maxTokens ?? DEFAULT_MAX_TOKENS);
    const messages: BackendMessage[] = [
        { role: "system", content: request.system ?? DEFAULT_SYSTEM_PROMPT },
        ...request.messages.map((m): BackendMessage => ({
            role: m.role,
            content: m.role === "user" ? userText(m) : m.text
        }))
    ];
    const parser = new ThinkingParser({ startInThinking: false });
    const turn = new TurnRecorder(arrived, request.onPart);
    try {
        for await (const chunk of backend.chat({ messages, maxTokens }, signal)) {
            // Servers stream about one token per chunk.
            turn.generatedTokens(1);
            for (const piece of parser.push(chunk)) turn.deliver(piece.part, piece.text);
        }
    } catch (error) {
        // Stopped by the user (the HTTP request is closed): keep what was written.
        if (!signal.aborted) throw error;
    }
    for (const piece of parser.end()) turn.deliver(piece.part, piece.text);
    return {
        turnId: request.turnId,
        text: turn.text,
        thinking: turn.thinking,
        stopReason: signal.aborted ? "stopped" : turn.generated >= maxTokens ? "maxTokens" : "end",
        template: `${backend.kind} at ${backend.host ?? "?"}`,
        timings: turn.timings(0)
    };
}
