/** The OpenAI-compatible calls both remote backends share: streamed chat and the model list. */
import type { ChatRequest } from "./backend";
import { BackendError } from "../inference/errors";
import type { HttpClient } from "./http";
import type { ChatWireChunk, ChatWireRequest, ModelListWire } from "./wire";

export async function* chatStream(
    http: HttpClient,
    model: string,
    request: ChatRequest,
    signal: AbortSignal
): AsyncGenerator<string> {
    const body: ChatWireRequest = {
        model: model || "default",
        messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
        max_tokens: request.maxTokens,
        stream: true
    };
    if (request.temperature !== undefined) body.temperature = request.temperature;
    for await (const chunk of http.postStream<ChatWireChunk>(
        "/v1/chat/completions",
        body,
        signal
    )) {
        const choice = chunk.choices?.[0];
        if (!choice) {
            const error = (chunk as { error?: { message?: string } }).error;
            if (error)
                throw new BackendError(
                    "serverError",
                    `${http.host} stopped the answer: ${error.message ?? "unknown error"}.`,
                    "See the server's log."
                );
            continue;
        }
        const text = choice.delta?.content;
        if (typeof text === "string" && text.length > 0) yield text;
    }
}

export async function listModels(http: HttpClient, signal: AbortSignal): Promise<string[]> {
    const list = await http.getJson<ModelListWire>("/v1/models", signal);
    if (!Array.isArray(list.data))
        throw new BackendError(
            "badResponse",
            `${http.host} answered /v1/models without a "data" list.`,
            "Check apprentice.backend.url."
        );
    return list.data.map((m) => String(m.id));
}
