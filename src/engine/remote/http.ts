/**
 * The one place that talks HTTP to a server: JSON in, JSON or SSE out, bearer token, timeouts,
 * and real cancellation (aborting the signal closes the connection). Errors become BackendErrors.
 */
import { BackendError, cancelled, errorForStatus, isAbortError } from "../inference/errors";
import { readSse } from "./sse";

export interface HttpOptions {
    baseUrl: string;
    apiKey?: string;
    /** Until the answer's headers arrive, and the longest pause between two streamed events. */
    timeoutMs: number;
}

export class HttpClient {
    readonly host: string;

    constructor(private readonly options: HttpOptions) {
        this.host = new URL(options.baseUrl).host;
    }

    async getJson<T>(path: string, signal: AbortSignal): Promise<T> {
        return this.json<T>("GET", path, undefined, signal);
    }

    async postJson<T>(path: string, body: unknown, signal: AbortSignal): Promise<T> {
        return this.json<T>("POST", path, body, signal);
    }

    /** POSTs and yields the parsed `data` events of the streamed answer. */
    async *postStream<T>(path: string, body: unknown, signal: AbortSignal): AsyncGenerator<T> {
        const watchdog = new Watchdog(this.options.timeoutMs, signal);
        try {
            const response = await this.send("POST", path, body, watchdog);
            if (!response.body)
                throw new BackendError(
                    "badResponse",
                    `${this.host} sent an empty stream.`,
                    "Check that the URL points at the inference server."
                );
            const events = readSse(response.body);
            for (;;) {
                watchdog.restart();
                let next: IteratorResult<string>;
                try {
                    next = await events.next();
                } catch (error) {
                    throw this.failure(error, watchdog, true);
                }
                if (next.done) return;
                // Events already received in the same network packet are dropped once the caller aborted.
                if (signal.aborted) throw cancelled();
                yield parseJson<T>(next.value, this.host);
            }
        } finally {
            watchdog.dispose();
        }
    }

    private async json<T>(
        method: string,
        path: string,
        body: unknown,
        signal: AbortSignal
    ): Promise<T> {
        const watchdog = new Watchdog(this.options.timeoutMs, signal);
        try {
            const response = await this.send(method, path, body, watchdog);
            let text: string;
            try {
                text = await response.text();
            } catch (error) {
                throw this.failure(error, watchdog, true);
            }
            return parseJson<T>(text, this.host);
        } finally {
            watchdog.dispose();
        }
    }

    private async send(
        method: string,
        path: string,
        body: unknown,
        watchdog: Watchdog
    ): Promise<Response> {
        const headers: Record<string, string> = { accept: "application/json, text/event-stream" };
        if (body !== undefined) headers["content-type"] = "application/json";
        if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
        let response: Response;
        try {
            response = await fetch(this.options.baseUrl + path, {
                method,
                headers,
                body: body === undefined ? undefined : JSON.stringify(body),
                signal: watchdog.signal
            });
        } catch (error) {
            throw this.failure(error, watchdog, false);
        }
        if (!response.ok) {
            const text = await response.text().catch(() => "");
            throw errorForStatus(response.status, text, this.host);
        }
        return response;
    }

    private failure(error: unknown, watchdog: Watchdog, midAnswer: boolean): Error {
        if (error instanceof BackendError) return error;
        if (watchdog.timedOut) {
            return new BackendError(
                "timeout",
                `${this.host} did not answer within ${this.options.timeoutMs} ms.`,
                "The server may be overloaded; raise apprentice.backend.timeoutMs or try again.",
                { cause: error }
            );
        }
        if (watchdog.callerAborted || isAbortError(error)) return cancelled();
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        const detail =
            cause?.code ??
            cause?.message ??
            (error instanceof Error ? error.message : String(error));
        return midAnswer
            ? new BackendError(
                  "unreachable",
                  `The connection to ${this.host} was lost during the answer (${detail}).`,
                  "Check that the server is still running, then try again.",
                  { cause: error }
              )
            : new BackendError(
                  "unreachable",
                  `Cannot reach ${this.host} (${detail}).`,
                  "Check apprentice.backend.url and that the server is running.",
                  { cause: error }
              );
    }
}

function parseJson<T>(text: string, host: string): T {
    try {
        return JSON.parse(text) as T;
    } catch (error) {
        throw new BackendError(
            "badResponse",
            `${host} sent something that is not JSON: ${text.slice(0, 80)}`,
            "Check that apprentice.backend.url points at the inference server.",
            { cause: error }
        );
    }
}

/** Aborts the request when the caller aborts or when no progress is made for `timeoutMs`. */
class Watchdog {
    private readonly controller = new AbortController();
    private timer: NodeJS.Timeout | undefined;
    timedOut = false;
    private readonly onAbort = () => this.controller.abort();

    constructor(
        private readonly timeoutMs: number,
        private readonly caller: AbortSignal
    ) {
        if (caller.aborted) this.controller.abort();
        else caller.addEventListener("abort", this.onAbort, { once: true });
        this.restart();
    }

    get signal(): AbortSignal {
        return this.controller.signal;
    }
    get callerAborted(): boolean {
        return this.caller.aborted;
    }

    restart(): void {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
            this.timedOut = true;
            this.controller.abort();
        }, this.timeoutMs);
    }

    dispose(): void {
        clearTimeout(this.timer);
        this.caller.removeEventListener("abort", this.onAbort);
        // Closes a connection still open (e.g. the caller stopped reading a stream early).
        this.controller.abort();
    }
}
