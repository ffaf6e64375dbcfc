/** Named download failures, each with what the user can do about it. */
import type { DownloadErrorCode } from "../../shared/modelsProtocol";

export class DownloadError extends Error {
    constructor(
        readonly code: DownloadErrorCode,
        message: string,
        readonly action: string,
        options?: ErrorOptions
    ) {
        super(message, options);
        this.name = "DownloadError";
    }
}

const OFFLINE_CODES = new Set([
    "ENOTFOUND",
    "EAI_AGAIN",
    "ECONNREFUSED",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "ETIMEDOUT",
    "ECONNRESET",
    "UND_ERR_CONNECT_TIMEOUT",
    "UND_ERR_SOCKET"
]);

/** The system error code behind a fetch failure (undici wraps it in `cause`). */
export function systemCode(error: unknown): string | undefined {
    for (
        let e: unknown = error, depth = 0;
        e && depth < 5;
        e = (e as { cause?: unknown }).cause, depth++
    ) {
        const code = (e as { code?: unknown }).code;
        if (typeof code === "string") return code;
    }
    return undefined;
}

export function offlineError(url: string, error: unknown): DownloadError {
    const code = systemCode(error);
    const host = safeHost(url);
    if (code && !OFFLINE_CODES.has(code)) {
        return new DownloadError(
            "ioError",
            `The download from ${host} failed (${code}).`,
            "Try again; the download resumes where it stopped.",
            { cause: error }
        );
    }
    return new DownloadError(
        "offline",
        `Cannot reach ${host}${code ? ` (${code})` : ""}: this machine seems to be offline or the server is blocked.`,
        "Check the network connection, or set apprentice.modelMirror to a server you can reach, then try again; the download resumes where it stopped.",
        { cause: error }
    );
}

export function httpError(url: string, status: number): DownloadError {
    if (status === 404 || status === 410) {
        return new DownloadError(
            "notFound",
            `The model file was not found at ${url} (HTTP ${status}).`,
            "If you use apprentice.modelMirror, check that it serves this file; otherwise choose another model."
        );
    }
    return new DownloadError(
        "httpError",
        `The server refused the download from ${safeHost(url)} (HTTP ${status}).`,
        status === 401 || status === 403
            ? "The server needs access rights: check the mirror, or download the file yourself and point Apprentice at it."
            : "Try again later."
    );
}

export function diskFullError(folder: string, needed: number, free: number): DownloadError {
    const gb = (n: number) => `${(n / 1e9).toFixed(2)} GB`;
    return new DownloadError(
        "diskFull",
        `Not enough disk space in ${folder}: the model needs ${gb(needed)} more and ${gb(free)} is free.`,
        "Free some disk space, or move the models folder with apprentice.modelsFolder."
    );
}

function safeHost(url: string): string {
    try {
        return new URL(url).host;
    } catch {
        return url;
    }
}
