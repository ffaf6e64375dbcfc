/** Named failures of a backend, each with what the user can do. */

export type BackendErrorCode =
    | "unreachable" // no connection (server down, wrong URL, DNS)
    | "unauthorized" // 401/403: missing or wrong API key
    | "timeout" // no answer within timeoutMs
    | "busy" // 429/503: the server's queue is full
    | "badResponse" // the server answered something we cannot read
    | "serverError" // 4xx/5xx with a message from the server
    | "notSupported" // the model or server cannot do this (e.g. no FIM tokens)
    | "noModel"; // local backend without a loaded model

export class BackendError extends Error {
    override readonly name = "BackendError";
    constructor(
        readonly code: BackendErrorCode,
        message: string,
        readonly action: string,
        options?: { cause?: unknown; status?: number }
    ) {
        super(message, options);
        this.status = options?.status;
    }
    readonly status: number | undefined;

    /** Worth trying again after a pause (and worth falling back to the local model). */
    get transient(): boolean {
        return this.code === "unreachable" || this.code === "timeout" || this.code === "busy";
    }
}

export function isBackendError(error: unknown): error is BackendError {
    return error instanceof BackendError;
}

/** True for the error an aborted fetch or generation throws. */
export function isAbortError(error: unknown, signal?: AbortSignal): boolean {
    if (signal?.aborted) return true;
    return (
        error instanceof Error && (error.name === "AbortError" || error.name === "CanceledError")
    );
}

export function cancelled(): Error {
    const error = new Error("The request was cancelled.");
    error.name = "AbortError";
    return error;
}

/** Maps an HTTP status and the server's error body to a BackendError. */
export function errorForStatus(status: number, body: string, host: string): BackendError {
    const detail = serverMessage(body);
    const suffix = detail ? `: ${detail}` : "";
    if (status === 401 || status === 403) {
        return new BackendError(
            "unauthorized",
            `${host} refused the request (HTTP ${status}${suffix}).`,
            'Run "Apprentice: Set Backend API Key" with the key your server expects.',
            { status }
        );
    }
    if (status === 429 || status === 503) {
        return new BackendError(
            "busy",
            `${host} is busy (HTTP ${status}${suffix}).`,
            "Try again in a moment; ask the admin to add capacity if it stays busy.",
            { status }
        );
    }
    if (status === 404) {
        return new BackendError(
            "notSupported",
            `${host} does not offer this endpoint (HTTP 404${suffix}).`,
            'Check apprentice.backend.kind: llama.cpp servers use "llamaServer", vLLM/Ollama/LM Studio use "openAiCompatible".',
            { status }
        );
    }
    return new BackendError(
        "serverError",
        `${host} answered HTTP ${status}${suffix}.`,
        "See the server's log; check apprentice.backend.model.",
        { status }
    );
}

/** The message of a llama.cpp/OpenAI error body `{"error":{"message":…}}`, or a short text body. */
export function serverMessage(body: string): string {
    try {
        const parsed = JSON.parse(body) as {
            error?: { message?: unknown } | string;
            message?: unknown;
        };
        if (typeof parsed.error === "string") return parsed.error;
        if (parsed.error && typeof parsed.error.message === "string") return parsed.error.message;
        if (typeof parsed.message === "string") return parsed.message;
    } catch {
        /* not JSON */
    }
    return body.trim().slice(0, 200);
}
