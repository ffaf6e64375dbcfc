/** A llama.cpp `llama-server` (or `apprentice serve`): `/infill` for completion, `/v1/chat/completions` for chat. */
import type { Backend, ChatRequest, InfillRequest } from "./backend";
import { BackendError } from "../inference/errors";
import { HttpClient, type HttpOptions } from "./http";
import { streamWithRetry } from "./retry";
import { chatStream, listModels } from "./openAiWire";
import type { InfillWireRequest, LlamaCompletionWireResponse } from "./wire";
import { splitCurrentLine } from "../fim/afterMidLayout";

export class LlamaServerBackend implements Backend {
    readonly kind = "llamaServer" as const;
    private readonly http: HttpClient;

    constructor(
        options: HttpOptions,
        private readonly model = ""
    ) {
        this.http = new HttpClient(options);
    }

    get host(): string {
        return this.http.host;
    }

    async infill(request: InfillRequest, signal: AbortSignal): Promise<string> {
        const response = await this.http.postJson<LlamaCompletionWireResponse>(
            "/infill",
            toInfillWire(request),
            signal
        );
        if (typeof response.content !== "string") {
            throw new BackendError(
                "badResponse",
                `${this.host} answered /infill without a "content" field.`,
                "Check that apprentice.backend.url points at a llama.cpp server."
            );
        }
        return response.content;
    }

    chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<string> {
        return streamWithRetry(() => chatStream(this.http, this.model, request, signal), signal);
    }

    models(signal: AbortSignal): Promise<string[]> {
        return listModels(this.http, signal);
    }

    dispose(): void {
        /* fetch keeps no state of ours */
    }
}

/**
 * The current line up to the cursor goes in `prompt`, the lines before it in `input_prefix`, as
 * llama.vscode does: the server then keeps the unchanged lines in its KV cache between keystrokes.
 */
export function toInfillWire(request: InfillRequest): InfillWireRequest {
    const { before, line } = splitCurrentLine(request.prefix);
    const wire: InfillWireRequest = {
        input_prefix: before,
        prompt: line,
        input_suffix: request.suffix,
        n_predict: request.maxTokens,
        cache_prompt: true,
        stream: false
    };
    if (request.extra?.length)
        wire.input_extra = request.extra.map(({ filename, text }) => ({ filename, text }));
    if (request.temperature !== undefined) wire.temperature = request.temperature;
    if (request.stop?.length) wire.stop = [...request.stop];
    return wire;
}
