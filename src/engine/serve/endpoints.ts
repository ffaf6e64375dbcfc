/**
 * Turns the llama.cpp and OpenAI request shapes into one generation job, and the job's text back
 * into each API's answer (JSON, or server-sent events when `stream` is true).
 */
import type { ServerResponse } from "node:http";
import type { LlamaContextSequence } from "node-llama-cpp";
import type { ChatMessage, ExtraContext } from "../remote/backend";
import {
    chatOn,
    completeOn,
    infillAfterMidOn,
    infillOn,
    type GenerationOptions,
    type GenerationResult
} from "../inference/sequenceGeneration";
import type { FinishReason } from "../remote/wire";
import { HttpError, num, numIn, sendJson, sseEvent, startSse, stops, str } from "./httpIo";

/** What to generate, once the request is read. */
export type Job =
    | { kind: "infill"; before: string; line: string; suffix: string; extra: ExtraContext[] }
    | { kind: "complete"; prompt: string }
    | { kind: "chat"; messages: ChatMessage[] };

export interface ParsedRequest {
    job: Job;
    stream: boolean;
    maxTokens: number;
    temperature?: number;
    topK?: number;
    topP?: number;
    stop?: string[];
    /** How the answer is written. */
    api: "llama" | "openaiText" | "openaiChat";
}

/** `promptAfterMid`: put /infill's `prompt` (the current line) after the middle token; see infillAfterMidOn. */
export function runJob(
    sequence: LlamaContextSequence,
    request: ParsedRequest,
    options: GenerationOptions,
    promptAfterMid: boolean
): Promise<GenerationResult> {
    const { job } = request;
    switch (job.kind) {
        case "infill":
            return promptAfterMid
                ? infillAfterMidOn(sequence, job.before, job.line, job.suffix, job.extra, options)
                : infillOn(sequence, job.before + job.line, job.suffix, job.extra, options);
        case "complete":
            return completeOn(sequence, job.prompt, options);
        case "chat":
            return chatOn(sequence, job.messages, options);
    }
}

/**
 * Token limit and sampling of a request. Every answer is bounded by the server's cap: a limit below
 * 1 (llama.cpp's -1 "unlimited", 0, a fraction) means the endpoint's default, never "no limit"
 * (node-llama-cpp reads maxTokens 0 as unlimited).
 */
function limits(
    body: Record<string, unknown>,
    maxTokensCap: number,
    defaultTokens: number,
    key: "n_predict" | "max_tokens"
) {
    const requested =
        num(body, key) ?? (key === "max_tokens" ? num(body, "max_completion_tokens") : undefined);
    const whole = requested === undefined ? 0 : Math.floor(requested);
    const maxTokens = Math.max(1, Math.min(whole >= 1 ? whole : defaultTokens, maxTokensCap));
    const topK = numIn(body, "top_k", 0, 1_000_000, true);
    return {
        maxTokens,
        temperature: numIn(body, "temperature", 0, 100),
        topK: topK === 0 ? undefined : topK,
        topP: numIn(body, "top_p", 0, 1),
        stop: stops(body),
        stream: body.stream === true
    };
}

/** OpenAI message content: a string, or a list of parts of which the `text` ones are read. */
function contentText(content: unknown, role: string): string {
    if (typeof content === "string") return content;
    if ((content === null || content === undefined) && role === "assistant") return "";
    if (!Array.isArray(content))
        throw new HttpError(
            400,
            'Message "content" must be a string or a list of {"type":"text","text":"…"} parts.'
        );
    return content
        .map((part: unknown) => {
            if (
                typeof part !== "object" ||
                part === null ||
                typeof (part as { type?: unknown }).type !== "string"
            ) {
                throw new HttpError(
                    400,
                    'Each part of a message\'s "content" must be an object with a "type", such as {"type":"text","text":"…"}.'
                );
            }
            const { type, text } = part as { type: string; text?: unknown };
            if (type !== "text") return "";
            if (typeof text !== "string")
                throw new HttpError(
                    400,
                    'A "text" part of a message\'s "content" needs a "text" string.'
                );
            return text;
        })
        .join("");
}

export function parseInfill(body: Record<string, unknown>, cap: number): ParsedRequest {
    const extraRaw = body.input_extra ?? [];
    if (!Array.isArray(extraRaw))
        throw new HttpError(400, '"input_extra" must be a list of {filename, text}.');
    const extra = extraRaw.map((chunk: unknown) => {
        const c = chunk as Record<string, unknown>;
        if (typeof c?.text !== "string")
            throw new HttpError(400, 'Each "input_extra" chunk needs a "text" string.');
        return { filename: typeof c.filename === "string" ? c.filename : "", text: c.text };
    });
    const job = {
        kind: "infill" as const,
        before: str(body, "input_prefix", ""),
        line: str(body, "prompt", ""),
        suffix: str(body, "input_suffix", ""),
        extra
    };
    return { job, api: "llama", ...limits(body, cap, Math.min(cap, 128), "n_predict") };
}

export function parseCompletion(body: Record<string, unknown>, cap: number): ParsedRequest {
    return {
        job: { kind: "complete", prompt: str(body, "prompt") },
        api: "llama",
        ...limits(body, cap, Math.min(cap, 128), "n_predict")
    };
}

export function parseTextCompletion(body: Record<string, unknown>, cap: number): ParsedRequest {
    let prompt = body.prompt;
    if (Array.isArray(prompt) && prompt.length === 1) prompt = prompt[0];
    if (typeof prompt !== "string")
        throw new HttpError(400, '"prompt" must be a string (one prompt per request).');
    return {
        job: { kind: "complete", prompt },
        api: "openaiText",
        ...limits(body, cap, Math.min(cap, 16), "max_tokens")
    };
}

export function parseChat(body: Record<string, unknown>, cap: number): ParsedRequest {
    if (!Array.isArray(body.messages) || body.messages.length === 0)
        throw new HttpError(400, '"messages" must be a non-empty list.');
    const messages = body.messages.map((m: unknown): ChatMessage => {
        const message = m as Record<string, unknown>;
        const role = message?.role;
        if (role !== "system" && role !== "user" && role !== "assistant")
            throw new HttpError(400, "Each message needs a role of system, user or assistant.");
        return { role, content: contentText(message.content, role) };
    });
    if (messages.at(-1)!.role !== "user")
        throw new HttpError(400, "The last message must come from the user.");
    return {
        job: { kind: "chat", messages },
        api: "openaiChat",
        ...limits(body, cap, cap, "max_tokens")
    };
}

function finishReason(result: GenerationResult): FinishReason {
    return result.stopReason === "limit" ? "length" : "stop";
}

/** Writes one request's answer: `begin` before generation (streams), `text` per chunk, `end` with the result. */
export class AnswerWriter {
    private readonly id = `cmpl-${Math.random().toString(36).slice(2, 14)}`;
    private readonly created = Math.floor(Date.now() / 1000);

    constructor(
        private readonly res: ServerResponse,
        private readonly request: ParsedRequest,
        private readonly model: string
    ) {}

    begin(): void {
        if (!this.request.stream) return;
        startSse(this.res);
        if (this.request.api === "openaiChat")
            sseEvent(this.res, this.chatChunk({ role: "assistant", content: "" }, null));
    }

    text(text: string): void {
        if (!this.request.stream || text.length === 0) return;
        switch (this.request.api) {
            case "llama":
                sseEvent(this.res, { index: 0, content: text, stop: false });
                break;
            case "openaiText":
                sseEvent(this.res, this.textChunk(text, null));
                break;
            case "openaiChat":
                sseEvent(this.res, this.chatChunk({ content: text }, null));
                break;
        }
    }

    end(result: GenerationResult, promptTokens: number): void {
        const usage = {
            prompt_tokens: promptTokens,
            completion_tokens: result.tokens,
            total_tokens: promptTokens + result.tokens
        };
        const llamaFinal = {
            index: 0,
            content: this.request.stream ? "" : result.text,
            stop: true,
            model: this.model,
            stop_type:
                result.stopReason === "limit"
                    ? "limit"
                    : result.stopReason === "word"
                      ? "word"
                      : "eos",
            tokens_predicted: result.tokens,
            tokens_evaluated: promptTokens
        };
        if (!this.request.stream) {
            switch (this.request.api) {
                case "llama":
                    sendJson(this.res, 200, llamaFinal);
                    break;
                case "openaiText":
                    sendJson(this.res, 200, {
                        ...this.textChunk(result.text, finishReason(result)),
                        usage
                    });
                    break;
                case "openaiChat":
                    sendJson(this.res, 200, {
                        id: this.id,
                        object: "chat.completion",
                        created: this.created,
                        model: this.model,
                        choices: [
                            {
                                index: 0,
                                message: { role: "assistant", content: result.text },
                                finish_reason: finishReason(result)
                            }
                        ],
                        usage
                    });
                    break;
            }
            return;
        }
        switch (this.request.api) {
            case "llama":
                sseEvent(this.res, llamaFinal);
                break;
            case "openaiText":
                sseEvent(this.res, { ...this.textChunk("", finishReason(result)), usage });
                sseEvent(this.res, "[DONE]");
                break;
            case "openaiChat":
                sseEvent(this.res, { ...this.chatChunk({}, finishReason(result)), usage });
                sseEvent(this.res, "[DONE]");
                break;
        }
        this.res.end();
    }

    private textChunk(text: string, finish: FinishReason) {
        return {
            id: this.id,
            object: "text_completion",
            created: this.created,
            model: this.model,
            choices: [{ index: 0, text, finish_reason: finish, logprobs: null }]
        };
    }

    private chatChunk(delta: { role?: "assistant"; content?: string }, finish: FinishReason) {
        return {
            id: this.id,
            object: "chat.completion.chunk",
            created: this.created,
            model: this.model,
            choices: [{ index: 0, delta, finish_reason: finish }]
        };
    }
}
