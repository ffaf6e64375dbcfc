/** The reference stack: a running llama.cpp server's `/infill`, called the way llama.vscode calls it. */
import { performance } from "node:perf_hooks";
import { infillBody, parseInfillTimings, type ReplayPosition } from "./replay";

export class LlamaServerError extends Error {
    override readonly name = "LlamaServerError";
}

export class LlamaServerClient {
    constructor(readonly baseUrl: string) {}

    /** Fails with a named error when nothing healthy answers at the URL. */
    async checkHealth(signal?: AbortSignal): Promise<void> {
        let response: Response;
        try {
            response = await fetch(`${this.baseUrl}/health`, {
                signal: signal ?? AbortSignal.timeout(5000)
            });
        } catch (error) {
            throw new LlamaServerError(
                `No llama.cpp server answers at ${this.baseUrl} (${error instanceof Error ? error.message : String(error)}). Start one with llama-server -m MODEL --port PORT, or leave out --llama-server.`
            );
        }
        if (!response.ok)
            throw new LlamaServerError(
                `The llama.cpp server at ${this.baseUrl} is not ready: /health answered ${response.status}.`
            );
    }

    async infill(
        position: ReplayPosition,
        typedSoFar: number,
        maxTokens: number
    ): Promise<{ wallMs: number; evaluated: number; reused: number; generated: number }> {
        const started = performance.now();
        const response = await fetch(`${this.baseUrl}/infill`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(infillBody(position, typedSoFar, maxTokens)),
            signal: AbortSignal.timeout(120_000)
        });
        const body = (await response.json()) as unknown;
        const wallMs = performance.now() - started;
        if (!response.ok)
            throw new LlamaServerError(
                `/infill answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`
            );
        return { wallMs, ...parseInfillTimings(body) };
    }

    /** One `/infill` request with the given body; its generated text and the wall time. */
    async infillContent(
        body: Record<string, unknown>
    ): Promise<{ wallMs: number; content: string }> {
        const started = performance.now();
        const response = await fetch(`${this.baseUrl}/infill`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(120_000)
        });
        const answer = (await response.json()) as { content?: unknown };
        const wallMs = performance.now() - started;
        if (!response.ok)
            throw new LlamaServerError(
                `/infill answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`
            );
        return { wallMs, content: typeof answer.content === "string" ? answer.content : "" };
    }
}
