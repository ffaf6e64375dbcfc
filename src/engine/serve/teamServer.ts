/**
 * The HTTP server of `serve` mode: llama.cpp-server-compatible endpoints over a pool of context
 * sequences of one loaded model. Every request is cancelled when its client goes away.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import type { LlamaContext, LlamaContextSequence } from "node-llama-cpp";
import { isAbortError, isBackendError } from "../inference/errors";
import type { Logger } from "../log";
import {
    AnswerWriter,
    parseChat,
    parseCompletion,
    parseInfill,
    parseTextCompletion,
    runJob,
    type ParsedRequest
} from "./endpoints";
import { fitJob } from "./fitText";
import { HttpError, maxBodyBytes, readJson, sendError, sendJson } from "./httpIo";
import { RequestGuard, requireJson } from "./requestGuard";
import { SequenceScheduler } from "../modelHost/sequenceScheduler";
import { QueueFullError, SlotScheduler } from "./scheduler";

export interface TeamServerOptions {
    modelPath: string;
    apiKey: string | undefined;
    maxQueue: number;
    maxTokens: number;
    /** /infill puts `prompt` (the current line) after the FIM middle token, for KV-cache reuse while typing. */
    infillPromptAfterMid: boolean;
    /** The server listens on loopback only (then a foreign Host header is refused). */
    loopbackOnly: boolean;
    /** Web origins allowed to call the server; other `Origin`s get 403. */
    allowOrigins: readonly string[];
    /** Seconds a client may take to send its whole request (headers: at most 10 s). */
    requestTimeoutSeconds: number;
    /** Open connections at most; more are closed at once. */
    maxConnections: number;
}

/** How long `close()` waits for cancelled generations to return before the model is disposed. */
const STOP_WAIT_MS = 5000;

type Parser = (body: Record<string, unknown>, cap: number) => ParsedRequest;

const POST_ROUTES: Record<string, Parser> = {
    "/infill": parseInfill,
    "/completion": parseCompletion,
    "/completions": parseCompletion,
    "/v1/completions": parseTextCompletion,
    "/v1/chat/completions": parseChat,
    "/chat/completions": parseChat
};

export class TeamServer {
    private readonly server: Server;
    private readonly scheduler: SlotScheduler<LlamaContextSequence>;
    /** Each sequence's own scheduler: the slot scheduler hands a sequence out, the job runs through its queue. */
    private readonly sequenceSchedulers = new Map<LlamaContextSequence, SequenceScheduler>();
    private readonly modelName: string;
    private readonly keyDigest: Buffer | undefined;
    private readonly inFlight = new Set<AbortController>();
    /** Generations running on a sequence; the context must outlive them. */
    private readonly running = new Set<Promise<unknown>>();
    private readonly guard: RequestGuard;
    private readonly bodyLimit: number;
    private readonly contextTokens: number;
    private closing = false;
    /** Counters for /metrics (llama.cpp's names where it has them). */
    readonly counters = {
        requests_total: 0,
        requests_cancelled_total: 0,
        requests_rejected_total: 0,
        tokens_predicted_total: 0
    };

    constructor(
        private readonly context: LlamaContext,
        sequences: readonly LlamaContextSequence[],
        private readonly options: TeamServerOptions,
        private readonly log: Logger
    ) {
        this.scheduler = new SlotScheduler(sequences, options.maxQueue);
        for (const sequence of sequences)
            this.sequenceSchedulers.set(sequence, new SequenceScheduler());
        this.modelName = path.basename(options.modelPath);
        this.keyDigest = options.apiKey ? digest(options.apiKey) : undefined;
        this.guard = new RequestGuard({
            loopbackOnly: options.loopbackOnly,
            allowOrigins: options.allowOrigins
        });
        this.contextTokens = sequences[0]?.contextSize ?? context.contextSize;
        this.bodyLimit = maxBodyBytes(this.contextTokens);
        const requestTimeout = options.requestTimeoutSeconds * 1000;
        // Slow clients: the headers within 10 s, the whole request within --request-timeout (checked every second).
        this.server = createServer(
            {
                requestTimeout,
                headersTimeout: Math.min(10_000, requestTimeout),
                connectionsCheckingInterval: 1000,
                keepAliveTimeout: 5000
            },
            (req, res) => {
                void this.handle(req, res);
            }
        );
        this.server.maxConnections = options.maxConnections;
    }

    listen(port: number, host: string): Promise<AddressInfo> {
        return new Promise((resolve, reject) => {
            this.server.once("error", reject);
            this.server.listen(port, host, () => {
                this.server.off("error", reject);
                resolve(this.server.address() as AddressInfo);
            });
        });
    }

    private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const abort = new AbortController();
        this.inFlight.add(abort);
        // The client closed the connection before the answer was complete: stop generating for it.
        res.once("close", () => {
            if (!res.writableFinished) abort.abort();
            this.inFlight.delete(abort);
        });
        let cors: Record<string, string> = {};
        try {
            cors = this.guard.check(req);
            for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
            if (this.closing)
                throw new HttpError(503, "The server is stopping.", "unavailable_error", {
                    connection: "close"
                });
            const url = new URL(req.url ?? "/", "http://serve");
            if (req.method === "OPTIONS") {
                res.writeHead(204, this.guard.preflight(cors));
                return void res.end();
            }
            if (url.pathname === "/health" && req.method === "GET") {
                return sendJson(res, 200, {
                    status: "ok",
                    slots_idle: this.scheduler.idle,
                    slots_processing: this.context.totalSequences - this.scheduler.idle,
                    queued: this.scheduler.queued
                });
            }
            this.authorize(req);
            if (
                req.method === "GET" &&
                (url.pathname === "/v1/models" || url.pathname === "/models")
            ) {
                return sendJson(res, 200, {
                    object: "list",
                    data: [
                        {
                            id: this.modelName,
                            object: "model",
                            created: Math.floor(Date.now() / 1000),
                            owned_by: "apprentice"
                        }
                    ]
                });
            }
            if (req.method === "GET" && url.pathname === "/metrics") {
                const text =
                    Object.entries(this.counters)
                        .map(([name, value]) => `apprentice:${name} ${value}`)
                        .join("\n") + "\n";
                res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
                return void res.end(text);
            }
            if (req.method === "GET" && url.pathname === "/props") {
                return sendJson(res, 200, {
                    total_slots: this.context.totalSequences,
                    model_path: this.modelName,
                    default_generation_settings: { n_ctx: this.context.contextSize }
                });
            }
            const parse = POST_ROUTES[url.pathname];
            if (!parse)
                throw new HttpError(
                    404,
                    `No endpoint ${req.method} ${url.pathname}.`,
                    "not_found_error"
                );
            if (req.method !== "POST") throw new HttpError(405, `${url.pathname} takes POST.`);
            requireJson(req);
            const request = parse(await readJson(req, this.bodyLimit), this.options.maxTokens);
            request.job = fitJob(request.job, this.contextTokens);
            await this.generate(req, res, request, abort.signal);
        } catch (error) {
            if (abort.signal.aborted || isAbortError(error)) {
                if (!res.writableEnded) res.destroy();
                return;
            }
            sendError(res, toHttpError(error, this.log));
        }
    }

    private async generate(
        req: IncomingMessage,
        res: ServerResponse,
        request: ParsedRequest,
        signal: AbortSignal
    ): Promise<void> {
        const client = String(
            req.headers["x-apprentice-client"] ?? req.socket.remoteAddress ?? "?"
        );
        let lease;
        try {
            lease = await this.scheduler.acquire(client, signal);
        } catch (error) {
            if (error instanceof QueueFullError) {
                this.counters.requests_rejected_total++;
                throw new HttpError(429, error.message, "unavailable_error", {
                    "retry-after": "1"
                });
            }
            throw error;
        }
        this.counters.requests_total++;
        const meter = lease.slot.tokenMeter;
        const inputBefore = meter.usedInputTokens;
        const outputBefore = meter.usedOutputTokens;
        try {
            const writer = new AnswerWriter(res, request, this.modelName);
            writer.begin();
            const slot = lease.slot;
            const job = this.sequenceSchedulers.get(slot)!.run(() =>
                runJob(
                    slot,
                    request,
                    {
                        maxTokens: request.maxTokens,
                        temperature: request.temperature,
                        topK: request.topK,
                        topP: request.topP,
                        stop: request.stop,
                        signal,
                        onText: (text) => writer.text(text)
                    },
                    this.options.infillPromptAfterMid
                )
            );
            this.running.add(job);
            const result = await job.finally(() => this.running.delete(job));
            writer.end(result, meter.usedInputTokens - inputBefore);
        } catch (error) {
            if (signal.aborted) this.counters.requests_cancelled_total++;
            throw error;
        } finally {
            this.counters.tokens_predicted_total += meter.usedOutputTokens - outputBefore;
            lease.release();
        }
    }

    private authorize(req: IncomingMessage): void {
        if (!this.keyDigest) return;
        // (/health stays open, as in llama.cpp, so load balancers can probe it.)
        const header = req.headers.authorization ?? "";
        const token = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
        if (!token || !timingSafeEqual(digest(token), this.keyDigest))
            throw new HttpError(401, "Invalid API Key", "authentication_error", {
                "www-authenticate": "Bearer",
                connection: "close"
            });
    }

    /**
     * Stops accepting, cancels running requests, waits (at most STOP_WAIT_MS) until their generations
     * have returned, and closes the connections. Only then may the context be disposed: disposing it
     * under a running generation can crash the native code.
     */
    async close(): Promise<void> {
        this.closing = true;
        const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
        for (const abort of this.inFlight) abort.abort();
        const settled = Promise.allSettled([...this.running]);
        let timer: NodeJS.Timeout | undefined;
        const waited = await Promise.race([
            settled.then(() => true),
            new Promise<false>((resolve) => {
                timer = setTimeout(() => resolve(false), STOP_WAIT_MS);
            })
        ]);
        clearTimeout(timer);
        if (!waited)
            this.log.warn(
                `serve: ${this.running.size} generations did not stop within ${STOP_WAIT_MS} ms.`
            );
        this.server.closeAllConnections();
        await closed;
    }

    /** Generations still running (0 after close() returned true). */
    get runningGenerations(): number {
        return this.running.size;
    }
}

function digest(text: string): Buffer {
    return createHash("sha256").update(text).digest();
}

function toHttpError(error: unknown, log: Logger): HttpError {
    if (error instanceof HttpError) return error;
    if (isBackendError(error))
        return new HttpError(
            error.code === "notSupported" ? 501 : 400,
            `${error.message} ${error.action}`
        );
    log.error(`serve: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return new HttpError(
        500,
        error instanceof Error ? error.message : String(error),
        "server_error"
    );
}
