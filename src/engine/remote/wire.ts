/**
 * Request and response shapes of the llama.cpp server and of the OpenAI API, as far as Apprentice
 * uses them (checked against llama.cpp's server README, the OpenAI reference and recorded answers of
 * a real llama-server in ../shared/fixtures/llama-server). The backends send them; `serve` answers them.
 */

/** Generation options shared by llama.cpp's /infill and /completion. */
export interface GenerationWireOptions {
    n_predict?: number;
    temperature?: number;
    top_k?: number;
    top_p?: number;
    stop?: string[];
    stream?: boolean;
    cache_prompt?: boolean;
}

/** POST /infill (llama.cpp). `prompt` is the current line up to the cursor; the rest of the prefix goes in `input_prefix`. */
export interface InfillWireRequest extends GenerationWireOptions {
    input_prefix: string;
    input_suffix: string;
    input_extra?: { filename: string; text: string }[];
    prompt?: string;
    t_max_predict_ms?: number;
}

/** POST /completion (llama.cpp): a raw prompt. */
export interface CompletionWireRequest extends GenerationWireOptions {
    prompt: string;
}

/** Answer (or one streamed event) of /infill and /completion. */
export interface LlamaCompletionWireResponse {
    content: string;
    stop: boolean;
    stop_type?: "none" | "eos" | "limit" | "word";
    tokens_predicted?: number;
    tokens_evaluated?: number;
    model?: string;
}

export interface WireMessage {
    role: string;
    content: string | { type: string; text?: string }[] | null;
}

/** POST /v1/chat/completions */
export interface ChatWireRequest {
    model?: string;
    messages: WireMessage[];
    max_tokens?: number;
    max_completion_tokens?: number;
    temperature?: number;
    stop?: string | string[];
    stream?: boolean;
}

export type FinishReason = "stop" | "length" | null;

export interface ChatWireResponse {
    id: string;
    object: "chat.completion";
    created: number;
    model: string;
    choices: {
        index: number;
        message: { role: "assistant"; content: string };
        finish_reason: FinishReason;
    }[];
    usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

export interface ChatWireChunk {
    id: string;
    object: "chat.completion.chunk";
    created: number;
    model: string;
    choices: {
        index: number;
        delta: { role?: "assistant"; content?: string };
        finish_reason: FinishReason;
    }[];
}

/** POST /v1/completions */
export interface TextCompletionWireRequest {
    model?: string;
    prompt: string | string[];
    max_tokens?: number;
    temperature?: number;
    stop?: string | string[];
    stream?: boolean;
}

export interface TextCompletionWireResponse {
    id: string;
    object: "text_completion";
    created: number;
    model: string;
    choices: { index: number; text: string; finish_reason: FinishReason; logprobs: null }[];
}

/** GET /v1/models */
export interface ModelListWire {
    object: "list";
    data: { id: string; object: "model"; created: number; owned_by: string }[];
}

/** The text of a message whose content may be a string or OpenAI content parts. */
export function messageText(content: WireMessage["content"]): string {
    if (typeof content === "string") return content;
    if (Array.isArray(content))
        return content
            .map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : ""))
            .join("");
    return "";
}
