/**
 * What a browser page must not be able to do to a server on 127.0.0.1: reach it under a foreign
 * host name (DNS rebinding), call it from another origin, or post a "simple" (non-JSON) body that
 * needs no CORS preflight. Applied to every request before anything else is read.
 */
import type { IncomingMessage } from "node:http";
import { isLoopbackHost } from "../../shared/backend";
import { HttpError } from "./httpIo";

export interface GuardOptions {
    /** The server listens on loopback only: then the Host header must name loopback too. */
    loopbackOnly: boolean;
    /** Origins whose pages may call the server (`--allow-origin`). */
    allowOrigins: readonly string[];
}

const CORS_ALLOW_HEADERS = "authorization, content-type, x-apprentice-client";

/** The host name of a Host header (`[::1]:8080` → `::1`, `localhost:80` → `localhost`). */
export function hostName(header: string): string {
    const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(header);
    if (bracketed) return bracketed[1]!;
    return header.replace(/:\d*$/, "");
}

export class RequestGuard {
    constructor(private readonly options: GuardOptions) {}

    /** Throws 403 for a foreign Host or Origin; returns the CORS headers for an allowed Origin. */
    check(req: IncomingMessage): Record<string, string> {
        const host = req.headers.host;
        if (this.options.loopbackOnly && host !== undefined && !isLoopbackHost(hostName(host))) {
            throw new HttpError(
                403,
                `Host "${host}" is not this server: it answers only to 127.0.0.1, localhost or [::1] (a page may be using DNS rebinding).`,
                "permission_error",
                { connection: "close" }
            );
        }
        const origin = req.headers.origin;
        if (origin === undefined) return {};
        if (!this.options.allowOrigins.includes(origin)) {
            throw new HttpError(
                403,
                `Origin "${origin}" may not call this server (web pages are refused; an admin can allow one with --allow-origin).`,
                "permission_error",
                { connection: "close" }
            );
        }
        return { "access-control-allow-origin": origin, vary: "Origin" };
    }

    /** Headers of the answer to a CORS preflight (`OPTIONS`) from an allowed origin. */
    preflight(cors: Record<string, string>): Record<string, string> {
        if (!cors["access-control-allow-origin"]) return {};
        return {
            ...cors,
            "access-control-allow-methods": "GET, POST, OPTIONS",
            "access-control-allow-headers": CORS_ALLOW_HEADERS,
            "access-control-max-age": "600"
        };
    }
}

/** POST bodies must say they are JSON: a form or text/plain post is what a hostile page can send without asking. */
export function requireJson(req: IncomingMessage): void {
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
        throw new HttpError(
            415,
            `The request body must be sent as "content-type: application/json"${type ? `, not ${type}` : ""}.`,
            "invalid_request_error",
            { connection: "close" }
        );
    }
}
