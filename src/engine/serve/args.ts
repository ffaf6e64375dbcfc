/** Command line of `node dist/engine.js serve …`. */
import * as os from "node:os";
import { isLoopbackHost } from "../../shared/backend";
import { GPU_MODES, type GpuMode } from "../../shared/settings";
import { defaultThreads } from "../modelHost/memoryPlan";

export interface ServeOptions {
    model: string;
    host: string;
    port: number;
    /** Bearer token every request except /health must carry; from --api-key or APPRENTICE_SERVE_API_KEY. */
    apiKey: string | undefined;
    /** Requests generated at the same time, each on its own context sequence. */
    parallel: number;
    /** Context size in tokens of each sequence. */
    contextSize: number;
    threads: number;
    gpu: GpuMode;
    /** Requests that may wait for a free sequence; more get HTTP 429. */
    maxQueue: number;
    /** Upper bound for n_predict / max_tokens of any request. */
    maxTokens: number;
    /** /infill layout: the current line after the FIM middle token (reuses the KV cache while typing). */
    infillPromptAfterMid: boolean;
    /** Seconds a client may take to send a whole request (its headers: at most 10 s); then the socket is closed. */
    requestTimeoutSeconds: number;
    /** Open connections at most; more are closed at once. */
    maxConnections: number;
    /** Web origins (`https://tools.example`) whose pages may call the server; any other `Origin` gets 403. */
    allowOrigins: string[];
}

export const SERVE_USAGE = `Usage: node dist/engine.js serve --model FILE.gguf [options]
  --host ADDR        address to listen on (default 127.0.0.1; anything else needs --api-key)
  --port N           port (default 8080; 0 picks a free one)
  --api-key KEY      require "Authorization: Bearer KEY" (or set APPRENTICE_SERVE_API_KEY)
  --parallel N       requests generated at once, one context sequence each (default 2)
  --ctx-size N       context tokens per sequence (default 4096)
  --threads N        CPU threads (default: one per core)
  --gpu MODE         auto | off | cuda | vulkan | metal (default auto)
  --max-queue N      waiting requests before HTTP 429 (default 16)
  --max-tokens N     cap for n_predict / max_tokens (default 512)
  --infill-layout L  after-mid (default): /infill's current line goes after the FIM middle token, so the
                     KV cache is reused while typing; psm: prefix+line, suffix, middle (as llama.cpp)
  --request-timeout S  seconds a client may take to send its request (default 30; headers at most 10)
  --max-connections N  open connections at most, more are closed at once (default 64)
  --allow-origin O   let web pages from origin O (e.g. https://tools.example) call the server; repeatable.
                     Without it, any request with an Origin header is refused (403)
  --insecure-no-key  allow a non-loopback --host without an API key (not recommended)`;

export class UsageError extends Error {
    override readonly name = "UsageError";
}

function int(name: string, value: string | undefined, min: number, max: number): number {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < min || n > max)
        throw new UsageError(`${name} needs a whole number from ${min} to ${max}.`);
    return n;
}

/** `https://tools.example` (scheme, host, port; no path), as browsers send it in `Origin`. */
function origin(value: string): string {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new UsageError(
            `--allow-origin needs an origin such as https://tools.example, not ${value}.`
        );
    }
    if (
        (url.protocol !== "http:" && url.protocol !== "https:") ||
        url.origin !== value.replace(/\/$/, "")
    ) {
        throw new UsageError(
            `--allow-origin needs an origin such as https://tools.example (scheme and host, no path), not ${value}.`
        );
    }
    return url.origin;
}

export function parseServeArgs(
    argv: readonly string[],
    env: NodeJS.ProcessEnv = process.env
): ServeOptions {
    const options: ServeOptions = {
        model: "",
        host: "127.0.0.1",
        port: 8080,
        apiKey: env.APPRENTICE_SERVE_API_KEY || undefined,
        parallel: 2,
        contextSize: 4096,
        threads: defaultThreads(os.availableParallelism()),
        gpu: "auto",
        maxQueue: 16,
        maxTokens: 512,
        infillPromptAfterMid: true,
        requestTimeoutSeconds: 30,
        maxConnections: 64,
        allowOrigins: []
    };
    let insecure = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        const value = () => {
            const next = argv[++i];
            if (next === undefined) throw new UsageError(`${arg} needs a value.`);
            return next;
        };
        switch (arg) {
            case "--model":
            case "-m":
                options.model = value();
                break;
            case "--host":
                options.host = value();
                break;
            case "--port":
                options.port = int(arg, value(), 0, 65535);
                break;
            case "--api-key":
                options.apiKey = value();
                break;
            case "--parallel":
            case "-np":
                options.parallel = int(arg, value(), 1, 64);
                break;
            case "--ctx-size":
            case "-c":
                options.contextSize = int(arg, value(), 256, 1 << 20);
                break;
            case "--threads":
            case "-t":
                options.threads = int(arg, value(), 1, 256);
                break;
            case "--max-queue":
                options.maxQueue = int(arg, value(), 0, 10_000);
                break;
            case "--max-tokens":
                options.maxTokens = int(arg, value(), 1, 1 << 16);
                break;
            case "--request-timeout":
                options.requestTimeoutSeconds = int(arg, value(), 1, 3600);
                break;
            case "--max-connections":
                options.maxConnections = int(arg, value(), 1, 100_000);
                break;
            case "--allow-origin":
                options.allowOrigins.push(origin(value()));
                break;
            case "--gpu": {
                const gpu = value();
                if (!(GPU_MODES as readonly string[]).includes(gpu))
                    throw new UsageError(`--gpu must be one of ${GPU_MODES.join(", ")}.`);
                options.gpu = gpu as GpuMode;
                break;
            }
            case "--insecure-no-key":
                insecure = true;
                break;
            case "--infill-layout": {
                const layout = value();
                if (layout !== "after-mid" && layout !== "psm")
                    throw new UsageError("--infill-layout must be after-mid or psm.");
                options.infillPromptAfterMid = layout === "after-mid";
                break;
            }
            case "--help":
            case "-h":
                throw new UsageError("");
            default:
                throw new UsageError(`Unknown option ${arg}.`);
        }
    }
    if (!options.model) throw new UsageError("--model is required.");
    if (!isLoopbackHost(options.host) && !options.apiKey && !insecure) {
        throw new UsageError(
            `Listening on ${options.host} lets other machines send requests; set --api-key (or APPRENTICE_SERVE_API_KEY), or pass --insecure-no-key.`
        );
    }
    return options;
}
