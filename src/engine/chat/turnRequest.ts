/** One chat turn as the chat feature asks for it: the conversation, limits, and where streamed parts go. */
import type { ChatMessage, ChatStreamPart } from "../../shared/chatProtocol";

export interface TurnRequest {
    turnId: string;
    messages: ChatMessage[];
    maxTokens?: number;
    system?: string;
    onPart(part: ChatStreamPart, text: string): void;
    signal?: AbortSignal;
}
