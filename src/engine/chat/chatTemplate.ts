/** Chooses how chat turns are formatted for the loaded model: its own template, or a named fallback. */
import type { ChatWrapper, LlamaModel } from "node-llama-cpp";
import { opensThinking } from "./thinkingParser";

export interface ChatFormat {
    readonly wrapper: ChatWrapper;
    /** Shown to the user: which prompt format answers. */
    readonly name: string;
    /** The template opens a `<think>` block itself (R1 distills): the answer starts inside thinking. */
    readonly startsInThinking: boolean;
}

/** `llama` is the node-llama-cpp module (imported on first use: it is ESM-only). */
export function chatFormatFor(
    model: LlamaModel,
    llama: typeof import("node-llama-cpp")
): ChatFormat {
    const { ChatMLChatWrapper, resolveChatWrapper } = llama;
    const template = model.fileInfo.metadata?.tokenizer?.chat_template;
    if (typeof template !== "string" || template.trim().length === 0) {
        return {
            wrapper: new ChatMLChatWrapper(),
            name: "ChatML (fallback: the model has no chat template)",
            startsInThinking: false
        };
    }
    const wrapper = resolveChatWrapper(model);
    // When node-llama-cpp knows the model's thought segments (e.g. its DeepSeek wrapper), thinking
    // arrives as "thought" segments and the answer text has no tags; otherwise our parser splits it.
    const nativeThoughts = wrapper.settings.segments?.thought != null;
    return {
        wrapper,
        name: `${wrapper.wrapperName} (the model's own template)`,
        startsInThinking: !nativeThoughts && opensThinking(template)
    };
}
