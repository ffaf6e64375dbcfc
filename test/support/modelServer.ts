/** A real HTTP server on 127.0.0.1 serving model files, with Range support and ways to misbehave. */
import { statSync } from "node:fs";
import { open } from "node:fs/promises";
import { once } from "node:events";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

export interface ServerBehaviour {
    /** Ignore Range headers and always send the whole file with 200. */
    noRange?: boolean;
    /** Destroy the connection of the next full (non-Range) response after this many bytes, once. */
    cutAfterBytes?: number;
    /** Only paths that match are cut (default: any). */
    cutOnly?: RegExp;
    /** Send at most this many bytes per 10 ms (for cancel tests). */
    throttleBytesPer10ms?: number;
    /** Send full responses without Content-Length (chunked), as a careless mirror may. */
    noContentLength?: boolean;
}

export class ModelServer {
    readonly requests: { url: string; range?: string }[] = [];
    behaviour: ServerBehaviour = {};
    private constructor(
        private readonly server: http.Server,
        private readonly files: Map<string, string>
    ) {}

    /** Serves `files` (url path → file on disk) at `/<org>/<repo>/resolve/main/<file>` or any path given. */
    static async start(files: Record<string, string>): Promise<ModelServer> {
        const map = new Map(Object.entries(files));
        const server = http.createServer();
        const self = new ModelServer(server, map);
        server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) =>
            self.handle(req, res)
        );
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        return self;
    }

    get base(): string {
        const { port } = this.server.address() as AddressInfo;
        return `http://127.0.0.1:${port}`;
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        const urlPath = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
        this.requests.push({ url: urlPath, range: req.headers.range });
        const file = this.files.get(urlPath);
        if (!file) {
            res.writeHead(404).end("not found");
            return;
        }
        const size = statSync(file).size;
        const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
        let start = 0;
        if (match && !this.behaviour.noRange) {
            start = Number(match[1]);
            if (start >= size) {
                res.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
                return;
            }
            res.writeHead(206, {
                "Content-Length": size - start,
                "Content-Range": `bytes ${start}-${size - 1}/${size}`,
                "Accept-Ranges": "bytes"
            });
        } else {
            res.writeHead(200, {
                ...(this.behaviour.noContentLength ? {} : { "Content-Length": size }),
                "Accept-Ranges": this.behaviour.noRange ? "none" : "bytes",
                "Content-Type": "application/octet-stream"
            });
        }
        const cut =
            start === 0 && (this.behaviour.cutOnly?.test(urlPath) ?? true)
                ? this.behaviour.cutAfterBytes
                : undefined;
        if (cut !== undefined) this.behaviour.cutAfterBytes = undefined;
        const throttle = this.behaviour.throttleBytesPer10ms;
        void this.send(res, file, start, size, cut, throttle).catch(() => res.destroy());
    }

    /** Writes [start, size) in chunks; cuts the connection after `cut` bytes; sleeps 10 ms per chunk when throttled. */
    private async send(
        res: http.ServerResponse,
        file: string,
        start: number,
        size: number,
        cut: number | undefined,
        throttle: number | undefined
    ): Promise<void> {
        const handle = await open(file, "r");
        try {
            const chunkSize = throttle ?? 256 * 1024;
            let position = start;
            let sent = 0;
            while (position < size && !res.destroyed) {
                const chunk = Buffer.alloc(Math.min(chunkSize, size - position));
                const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
                if (bytesRead === 0) break;
                if (cut !== undefined && sent + bytesRead >= cut) {
                    res.write(chunk.subarray(0, cut - sent));
                    await new Promise((resolve) => setTimeout(resolve, 20));
                    res.socket?.destroy();
                    return;
                }
                position += bytesRead;
                sent += bytesRead;
                if (!res.write(chunk.subarray(0, bytesRead))) await once(res, "drain");
                if (throttle) await new Promise((resolve) => setTimeout(resolve, 10));
            }
            res.end();
        } finally {
            await handle.close();
        }
    }

    close(): Promise<void> {
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}

/** The Hugging Face style path a catalog entry is served under. */
export function resolvePath(hf: string): string {
    const parts = hf.split("/");
    return `/${parts.slice(0, 2).join("/")}/resolve/main/${path.posix.join(...parts.slice(2))}`;
}
