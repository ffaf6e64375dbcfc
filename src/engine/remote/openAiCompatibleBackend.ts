/**
 * vLLM, Ollama, LM Studio and other OpenAI-compatible servers: `/v1/completions` with the model's
 * FIM template for completion, `/v1/chat/completions` streamed for chat, `/v1/models` to list.
 */
import type { FimTemplate } from "../../shared/backend";
import type { Backend, ChatRequest, InfillRequest } from "./backend";
import { BackendError } from "../inference/errors";
import { fimPrompt, fimStops } from "../fim/textTemplates";
import { HttpClient, type HttpOptions } from "./http";
import { chatStream, listModels } from "./openAiWire";
import { streamWithRetry } from "./retry";
import type { TextCompletionWireRequest, TextCompletionWireResponse } from "./wire";

export class OpenAiCompatibleBackend implements Backend {
    readonly kind = "openAiCompatible" as const;
    private readonly http: HttpClient;

    constructor(
        options: HttpOptions,
        private readonly model: string,
        private readonly template: FimTemplate
    ) {
        // Users paste either `http://host:8000` or `http://host:8000/v1`; paths below add `/v1`.
        this.http = new HttpClient({
            ...options,
            baseUrl: options.baseUrl.replace(/\/v1\/?$/, "")
        });
    }

    get host(): string {
        return this.http.host;
    }

    async infill(request: InfillRequest, signal: AbortSignal): Promise<string> {
        const body: TextCompletionWireRequest = {
            model: this.model || "default",
            prompt: fimPrompt(this.template, request.prefix, request.suffix, request.extra),
            max_tokens: request.maxTokens,
            temperature: request.temperature ?? 0.2,
            stop: [...(request.stop ?? []), ...fimStops(this.template)].slice(0, 4),
            stream: false
        };
        const response = await this.http.postJson<TextCompletionWireResponse>(
            "/v1/completions",
            body,
            signal
        );
        const text = response.choices?.[0]?.text;
        if (typeof text !== "string") {
            throw new BackendError(
                "badResponse",
                `${this.host} answered /v1/completions without choices[0].text.`,
                "Check apprentice.backend.url and apprentice.backend.model."
            );
        }
        return cutAtStops(text, [...(request.stop ?? []), ...fimStops(this.template)]);
    }

    chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<string> {
        return streamWithRetry(() => chatStream(this.http, this.model, request, signal), signal);
    }

    models(signal: AbortSignal): Promise<string[]> {
        return listModels(this.http, signal);
    }

    dispose(): void {
        /* nothing held */
    }
}

/** OpenAI allows at most 4 stop strings, so the rest are applied here. */
function cutAtStops(text: string, stops: readonly string[]): string {
    let end = text.length;
    for (const stop of stops) {
        const at = text.indexOf(stop);
        if (at >= 0 && at < end) end = at;
    }
    return text.slice(0, end);
}
