/**
 * Generation on one context sequence of a loaded model: fill-in-the-middle, raw completion and chat.
 * Used by the local backend (the engine's own sequences) and by `serve` (a pool of sequences).
 * The caller owns the sequence and must not run two generations on it at once.
 * node-llama-cpp is imported on first use (it is ESM-only; this also lets CommonJS tests load this file).
 */
import type { ChatHistoryItem, LlamaContextSequence } from "node-llama-cpp";
import type { ChatMessage, ExtraContext } from "../remote/backend";
import { afterMidLayout } from "../fim/afterMidLayout";
import { BackendError, cancelled } from "./errors";

const llama = () => import("node-llama-cpp");

export interface GenerationOptions {
    maxTokens: number;
    temperature?: number;
    topK?: number;
    topP?: number;
    stop?: readonly string[];
    signal: AbortSignal;
    /** Each piece of text as it is generated. */
    onText?: (text: string) => void;
}

export interface GenerationResult {
    text: string;
    /** "limit" when maxTokens ended it, "eos"/"word" when the model or a stop string did, "abort" when cancelled. */
    stopReason: "eos" | "limit" | "word" | "abort";
    tokens: number;
}

function completionOptions(options: GenerationOptions, counter: { tokens: number }) {
    return {
        onToken: (tokens: readonly unknown[]) => {
            counter.tokens += tokens.length;
        },
        maxTokens: options.maxTokens,
        temperature: options.temperature ?? 0,
        topK: options.topK,
        topP: options.topP,
        signal: options.signal,
        stopOnAbortSignal: true,
        customStopTriggers: options.stop?.length ? [...options.stop] : undefined,
        onTextChunk: options.onText
    };
}

/** Fill-in-the-middle with the model's FIM tokens; extra context goes before the prefix. */
export async function infillOn(
    sequence: LlamaContextSequence,
    prefix: string,
    suffix: string,
    extra: readonly ExtraContext[] | undefined,
    options: GenerationOptions
): Promise<GenerationResult> {
    const { LlamaCompletion } = await llama();
    const completion = new LlamaCompletion({
        contextSequence: sequence,
        autoDisposeSequence: false
    });
    try {
        if (!completion.infillSupported) throw noFim();
        const context = (extra ?? [])
            .map((chunk) => (chunk.text.endsWith("\n") ? chunk.text : `${chunk.text}\n`))
            .join("");
        const counter = { tokens: 0 };
        const result = await completion.generateInfillCompletionWithMeta(
            context + prefix,
            suffix,
            completionOptions(options, counter)
        );
        return finish(result.response, result.metadata, options.signal, counter.tokens);
    } finally {
        completion.dispose({ disposeSequence: false });
    }
}

/** Fill-in-the-middle with the current line after the middle token (see ../fim/afterMidLayout). */
export async function infillAfterMidOn(
    sequence: LlamaContextSequence,
    before: string,
    line: string,
    suffix: string,
    extra: readonly ExtraContext[] | undefined,
    options: GenerationOptions
): Promise<GenerationResult> {
    const { LlamaCompletion } = await llama();
    const model = sequence.model;
    const { prefix: pre, suffix: suf, middle: mid } = model.tokens.infill;
    if (pre == null || suf == null || mid == null) throw noFim();
    const context = (extra ?? [])
        .map((chunk) => (chunk.text.endsWith("\n") ? chunk.text : `${chunk.text}\n`))
        .join("");
    const lineTokens = model.tokenize(line, false);
    // Room for the prompt: the context minus the answer and a few special tokens; the suffix gets at most a quarter.
    const room = Math.max(16, sequence.contextSize - options.maxTokens - lineTokens.length - 8);
    const suffixTokens = model.tokenize(suffix, false).slice(0, Math.floor(room / 4));
    const beforeTokens = model.tokenize(context + before, false);
    const keptBefore = beforeTokens.slice(
        Math.max(0, beforeTokens.length - (room - suffixTokens.length))
    );
    const completion = new LlamaCompletion({
        contextSequence: sequence,
        autoDisposeSequence: false
    });
    try {
        const counter = { tokens: 0 };
        const tokens = afterMidLayout(
            { prefix: pre, suffix: suf, middle: mid },
            { before: keptBefore, suffix: suffixTokens, line: lineTokens }
        );
        const result = await completion.generateCompletionWithMeta(
            tokens,
            completionOptions(options, counter)
        );
        return finish(result.response, result.metadata, options.signal, counter.tokens);
    } finally {
        completion.dispose({ disposeSequence: false });
    }
}

function noFim(): BackendError {
    return new BackendError(
        "notSupported",
        "This model has no fill-in-the-middle tokens, so it cannot complete code at the cursor.",
        "Use a code model with FIM support (for example Qwen2.5-Coder or DeepSeek-Coder)."
    );
}

/**
 * Continues a raw prompt (llama.cpp `/completion`, OpenAI `/v1/completions`). Special tokens written
 * in the prompt (`<｜fim▁begin｜>`, `<|im_start|>`) count as those tokens, as in llama.cpp's server.
 */
export async function completeOn(
    sequence: LlamaContextSequence,
    prompt: string,
    options: GenerationOptions
): Promise<GenerationResult> {
    const { LlamaCompletion } = await llama();
    const completion = new LlamaCompletion({
        contextSequence: sequence,
        autoDisposeSequence: false
    });
    try {
        const counter = { tokens: 0 };
        const tokens = sequence.model.tokenize(prompt, true);
        const result = await completion.generateCompletionWithMeta(
            tokens,
            completionOptions(options, counter)
        );
        return finish(result.response, result.metadata, options.signal, counter.tokens);
    } finally {
        completion.dispose({ disposeSequence: false });
    }
}

/** Answers the last user message, with the model's chat template. */
export async function chatOn(
    sequence: LlamaContextSequence,
    messages: readonly ChatMessage[],
    options: GenerationOptions
): Promise<GenerationResult> {
    const history: ChatHistoryItem[] = messages.map((m): ChatHistoryItem =>
        m.role === "system"
            ? { type: "system", text: m.content }
            : m.role === "user"
              ? { type: "user", text: m.content }
              : { type: "model", response: [m.content] }
    );
    if (history.at(-1)?.type !== "user") {
        throw new BackendError(
            "serverError",
            "A chat request must end with a user message.",
            "Send the question as the last message."
        );
    }
    history.push({ type: "model", response: [] });
    const { LlamaChat } = await llama();
    const chat = new LlamaChat({ contextSequence: sequence, autoDisposeSequence: false });
    const counter = { tokens: 0 };
    try {
        const result = await chat.generateResponse(history, {
            ...completionOptions(options, counter),
            temperature: options.temperature ?? 0.7
        });
        if (options.signal.aborted) throw cancelled();
        return {
            text: result.response,
            stopReason: stopReasonOf(result.metadata.stopReason),
            tokens: counter.tokens
        };
    } finally {
        chat.dispose({ disposeSequence: false });
    }
}

function finish(
    text: string,
    metadata: { stopReason: string },
    signal: AbortSignal,
    tokens: number
): GenerationResult {
    if (signal.aborted) throw cancelled();
    return { text, stopReason: stopReasonOf(metadata.stopReason), tokens };
}

function stopReasonOf(reason: string): GenerationResult["stopReason"] {
    if (reason === "maxTokens") return "limit";
    if (reason === "customStopTrigger") return "word";
    if (reason === "abort") return "abort";
    return "eos";
}
