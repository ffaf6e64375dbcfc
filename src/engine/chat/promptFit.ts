/**
 * Turns the client's messages into chat history and fits it to the context window by counting
 * real tokens: the oldest messages go first, the newest user message and its attached code stay;
 * if that alone is too long, the attachments are shortened from their middle, with a note.
 */
import type { ChatHistoryItem, ChatWrapper, Tokenizer } from "node-llama-cpp";
import type { ChatAttachment, ChatMessage, ChatTrimNote } from "../../shared/chatProtocol";

export const DEFAULT_SYSTEM_PROMPT =
    "You are Apprentice, a helpful coding assistant running locally. Answer concisely and use Markdown code blocks for code.";

export interface FittedPrompt {
    history: ChatHistoryItem[];
    promptTokens: number;
    trimmed?: ChatTrimNote;
}

export class PromptTooLongError extends Error {
    override readonly name = "PromptTooLongError";
}

export function formatAttachment(a: ChatAttachment): string {
    const where =
        a.startLine !== undefined ? ` (lines ${a.startLine}-${a.endLine ?? a.startLine})` : "";
    const fence = a.text.includes("```") ? "````" : "```";
    return `${a.name}${where}:\n${fence}${a.languageId}\n${a.text}\n${fence}`;
}

export function userText(message: ChatMessage): string {
    const parts = (message.attachments ?? []).map(formatAttachment);
    parts.push(message.text);
    return parts.join("\n\n");
}

export function toHistory(system: string, messages: readonly ChatMessage[]): ChatHistoryItem[] {
    const history: ChatHistoryItem[] = [{ type: "system", text: system }];
    for (const m of messages) {
        if (m.role === "user") history.push({ type: "user", text: userText(m) });
        else history.push({ type: "model", response: [m.text] });
    }
    // node-llama-cpp generates the answer into a trailing empty model response.
    history.push({ type: "model", response: [] });
    return history;
}

export function countTokens(
    wrapper: ChatWrapper,
    tokenizer: Tokenizer,
    history: ChatHistoryItem[]
): number {
    return wrapper.generateContextState({ chatHistory: history }).contextText.tokenize(tokenizer)
        .length;
}

/** Fits `messages` into `budget` tokens (the context size minus room for the answer). */
export function fitPrompt(options: {
    wrapper: ChatWrapper;
    tokenizer: Tokenizer;
    system: string;
    messages: readonly ChatMessage[];
    budget: number;
}): FittedPrompt {
    const { wrapper, tokenizer, system, budget } = options;
    let messages = [...options.messages];
    let dropped = 0;
    const count = (list: readonly ChatMessage[]) =>
        countTokens(wrapper, tokenizer, toHistory(system, list));
    const tokensOf = (text: string) => tokenizer(text, false).length;
    let tokens = count(messages);
    // Drop the oldest messages first, as many as the excess needs (estimated per message, then recounted).
    while (tokens > budget && messages.length > 1) {
        let excess = tokens - budget;
        let cut = 0;
        while (excess > 0 && cut < messages.length - 1) {
            excess -=
                tokensOf(
                    messages[cut].role === "user" ? userText(messages[cut]) : messages[cut].text
                ) + 4;
            cut++;
        }
        // Keep a user message first: drop the answer that followed a dropped question too.
        while (cut < messages.length - 1 && messages[cut].role === "assistant") cut++;
        messages = messages.slice(cut);
        dropped += cut;
        tokens = count(messages);
    }
    let truncatedChars = 0;
    if (tokens > budget) {
        const last = messages[messages.length - 1];
        const attachments = last.attachments ?? [];
        const total = attachments.reduce((n, a) => n + a.text.length, 0);
        if (total > 0) {
            const attachmentTokens = attachments.reduce((n, a) => n + tokensOf(a.text), 0);
            const charsPerToken = total / Math.max(1, attachmentTokens);
            // Shrink all attachments by the same share until the message fits (usually one or two tries).
            let keep =
                total -
                Math.ceil((tokens - budget) * charsPerToken * 1.05) -
                CUT_MARKER.length * attachments.length;
            for (let attempt = 0; attempt < 6 && tokens > budget && keep > 0; attempt++) {
                const share = keep / total;
                const shortened = attachments.map((a) => ({
                    ...a,
                    text: shortenMiddle(a.text, Math.floor(a.text.length * share))
                }));
                const candidate = [...messages.slice(0, -1), { ...last, attachments: shortened }];
                tokens = count(candidate);
                if (tokens <= budget) {
                    messages = candidate;
                    truncatedChars = total - shortened.reduce((n, a) => n + a.text.length, 0);
                    break;
                }
                keep -= Math.ceil((tokens - budget) * charsPerToken * 1.2);
            }
        }
        if (tokens > budget) {
            throw new PromptTooLongError(
                `The message is too long for the model's context of ${budget} tokens even after leaving out earlier messages and shortening the attached code.`
            );
        }
    }
    const history = toHistory(system, messages);
    if (dropped === 0 && truncatedChars === 0) return { history, promptTokens: tokens };
    const notes: string[] = [];
    if (dropped > 0)
        notes.push(`${dropped} earlier message${dropped === 1 ? " was" : "s were"} left out`);
    if (truncatedChars > 0)
        notes.push(`${truncatedChars} characters were cut from the middle of the attached code`);
    return {
        history,
        promptTokens: tokens,
        trimmed: {
            droppedMessages: dropped,
            truncatedAttachmentChars: truncatedChars,
            message: `To fit the model's context window, ${notes.join(" and ")}.`
        }
    };
}

export const CUT_MARKER = "\n… (cut to fit the context window) …\n";

export function shortenMiddle(text: string, keep: number): string {
    if (keep >= text.length) return text;
    if (keep <= CUT_MARKER.length) return CUT_MARKER.trim();
    const half = Math.floor((keep - CUT_MARKER.length) / 2);
    return text.slice(0, half) + CUT_MARKER + text.slice(text.length - half);
}
