/**
 * Where inference runs: the local model (default) or a team's server. Settings `apprentice.backend.*`,
 * read by the extension and sent to the engine with `apprentice/backend/configure`. Imported by all sides.
 */

export type BackendKind = "local" | "llamaServer" | "openAiCompatible";
export const BACKEND_KINDS: readonly BackendKind[] = ["local", "llamaServer", "openAiCompatible"];

/** How an OpenAI-compatible server is asked for fill-in-the-middle through `/v1/completions`. */
export type FimTemplate = "deepseek" | "qwen" | "codellama" | "starcoder";
export const FIM_TEMPLATES: readonly FimTemplate[] = ["deepseek", "qwen", "codellama", "starcoder"];

export interface BackendSettings {
    kind: BackendKind;
    /** Base URL of the server, e.g. `http://gpu-box.lan:8080` (no path for llama.cpp; `/v1` is added for OpenAI). */
    url: string;
    /** Model name sent to OpenAI-compatible servers (`model` field); llama.cpp ignores it. */
    model: string;
    fimTemplate: FimTemplate;
    /** Per request: connect + first byte, and the whole non-streamed answer. */
    timeoutMs: number;
    /** When the server cannot be reached, use the local model (if one is loaded) instead of failing. */
    fallbackToLocal: boolean;
}

export const DEFAULT_BACKEND: BackendSettings = {
    kind: "local",
    url: "",
    model: "",
    fimTemplate: "qwen",
    timeoutMs: 10_000,
    fallbackToLocal: false
};

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
    return typeof value === "string" && (allowed as readonly string[]).includes(value)
        ? (value as T)
        : fallback;
}

/** Turns untrusted input into complete settings; a remote kind without a valid http(s) URL falls back to local. */
export function normalizeBackendSettings(
    input: unknown,
    base: BackendSettings = DEFAULT_BACKEND
): BackendSettings {
    if (!isRecord(input)) return { ...base };
    const url = typeof input.url === "string" ? input.url.trim().replace(/\/+$/, "") : base.url;
    const timeout =
        typeof input.timeoutMs === "number" && Number.isFinite(input.timeoutMs)
            ? Math.round(input.timeoutMs)
            : base.timeoutMs;
    const settings: BackendSettings = {
        kind: oneOf(input.kind, BACKEND_KINDS, base.kind),
        url,
        model: typeof input.model === "string" ? input.model.trim() : base.model,
        fimTemplate: oneOf(input.fimTemplate, FIM_TEMPLATES, base.fimTemplate),
        timeoutMs: Math.min(600_000, Math.max(500, timeout)),
        fallbackToLocal:
            typeof input.fallbackToLocal === "boolean"
                ? input.fallbackToLocal
                : base.fallbackToLocal
    };
    if (settings.kind !== "local" && !parseServerUrl(settings.url)) settings.kind = "local";
    return settings;
}

/** The URL when it is a usable http(s) server address, else undefined. */
export function parseServerUrl(url: string): URL | undefined {
    try {
        const parsed = new URL(url);
        return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed : undefined;
    } catch {
        return undefined;
    }
}

export function isLoopbackHost(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Plain http to another machine: code would cross the network unencrypted, so the user must confirm it. */
export function isInsecureRemote(url: string): boolean {
    const parsed = parseServerUrl(url);
    return parsed !== undefined && parsed.protocol === "http:" && !isLoopbackHost(parsed.hostname);
}

/** `host:port` that code is sent to, for the status bar; undefined for the local backend. */
export function remoteHost(settings: BackendSettings): string | undefined {
    if (settings.kind === "local") return undefined;
    return parseServerUrl(settings.url)?.host;
}
