/** Small HTTP helpers of the serve mode: JSON bodies, error bodies in the llama.cpp/OpenAI shape, SSE. */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Upper bound for any request body, whatever the context size. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * The body limit for a context of `contextTokens` tokens: a body larger than this holds more text
 * than the context can use (JSON escapes included), so it is refused before it is read (413).
 */
export function maxBodyBytes(contextTokens: number): number {
    return Math.min(MAX_BODY_BYTES, Math.max(256 * 1024, contextTokens * 64));
}

/** An answer with an HTTP status and a message, in `{"error":{code,message,type}}` form. */
export class HttpError extends Error {
    override readonly name = "HttpError";
    constructor(
        readonly status: number,
        message: string,
        readonly type = "invalid_request_error",
        readonly headers: Record<string, string> = {}
    ) {
        super(message);
    }
}

export async function readJson(
    req: IncomingMessage,
    limit = MAX_BODY_BYTES
): Promise<Record<string, unknown>> {
    const tooLarge = () =>
        new HttpError(
            413,
            `The request body is larger than ${limit} bytes, more text than this server's context can use.`,
            "invalid_request_error",
            { connection: "close" }
        );
    if (Number(req.headers["content-length"] ?? 0) > limit) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) throw tooLarge();
        chunks.push(chunk);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch (error) {
        throw new HttpError(
            400,
            `The request body is not valid JSON (${error instanceof Error ? error.message : String(error)}).`
        );
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new HttpError(400, "The request body must be a JSON object.");
    return parsed as Record<string, unknown>;
}

export function sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
): void {
    if (res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(text),
        ...headers
    });
    res.end(text);
}

export function errorBody(
    status: number,
    message: string,
    type: string
): { error: { code: number; message: string; type: string } } {
    return { error: { code: status, message, type } };
}

export function sendError(res: ServerResponse, error: HttpError): void {
    if (res.headersSent) {
        // Inside a stream the status is already sent: report in-band, as llama.cpp does.
        sseEvent(res, errorBody(error.status, error.message, error.type));
        res.end();
        return;
    }
    sendJson(res, error.status, errorBody(error.status, error.message, error.type), error.headers);
}

export function startSse(res: ServerResponse): void {
    res.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        connection: "keep-alive"
    });
    res.flushHeaders();
}

export function sseEvent(res: ServerResponse, data: unknown): void {
    if (!res.writableEnded && !res.destroyed)
        res.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
}

/** Parameter readers that refuse wrong types with a 400 that names the field. */
export function str(body: Record<string, unknown>, key: string, fallback?: string): string {
    const value = body[key];
    if (value === undefined || value === null) {
        if (fallback !== undefined) return fallback;
        throw new HttpError(400, `"${key}" is required.`);
    }
    if (typeof value !== "string") throw new HttpError(400, `"${key}" must be a string.`);
    return value;
}

export function num(body: Record<string, unknown>, key: string): number | undefined {
    const value = body[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value))
        throw new HttpError(400, `"${key}" must be a number.`);
    return value;
}

/** A number within [min, max] (a whole number when `integer`), or undefined when absent; else 400. */
export function numIn(
    body: Record<string, unknown>,
    key: string,
    min: number,
    max: number,
    integer = false
): number | undefined {
    const value = num(body, key);
    if (value === undefined) return undefined;
    if (value < min || value > max || (integer && !Number.isInteger(value))) {
        throw new HttpError(
            400,
            `"${key}" must be a ${integer ? "whole number" : "number"} from ${min} to ${max}.`
        );
    }
    return value;
}

export function stops(body: Record<string, unknown>): string[] | undefined {
    const value = body.stop;
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return [value];
    if (Array.isArray(value) && value.every((s) => typeof s === "string")) return value as string[];
    throw new HttpError(400, '"stop" must be a string or a list of strings.');
}
