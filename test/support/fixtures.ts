/**
 * Recorded answers of a real llama.cpp server (../shared/fixtures/llama-server): parsed, and replayed
 * by a local HTTP server on 127.0.0.1 so that our clients read exactly what a real server sends.
 */
import { readFileSync, existsSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { modelsDir } from "./models";

export function fixturesDir(): string {
    return path.resolve(modelsDir(), "..", "fixtures", "llama-server");
}

export interface Recording {
    /** The curl arguments of the recorded request. */
    request: string;
    method: string;
    path: string;
    /** The JSON body that was sent, when there was one. */
    requestBody: string | undefined;
    status: number;
    headers: Record<string, string>;
    body: string;
}

export function loadRecording(name: string): Recording {
    const file = path.join(fixturesDir(), name);
    if (!existsSync(file)) throw new Error(`Fixture missing: ${file}`);
    const text = readFileSync(file, "utf8");
    const [first, ...rest] = text.split("\n");
    const request = first!.replace(/^### request: /, "");
    const urlMatch = /(http:\/\/\S+)/.exec(request)!;
    const requestBody = /-d (.*)$/.exec(request)?.[1];
    const raw = rest.join("\n");
    // The status line and headers end with CRLF (as on the wire); the body is as the server sent it.
    const separator = /\r?\n\r?\n/.exec(raw)!;
    const split = separator.index;
    const head = raw.slice(0, split).split(/\r?\n/);
    const status = Number(head[0]!.split(" ")[1]);
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
        const at = line.indexOf(":");
        if (at <= 0) continue;
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
    }
    return {
        request,
        method: /-X (\w+)/.exec(request)?.[1] ?? "GET",
        path: new URL(urlMatch[1]!).pathname,
        requestBody,
        status,
        headers,
        body: raw.slice(split + separator[0].length)
    };
}

export interface SeenRequest {
    method: string;
    path: string;
    headers: IncomingHttpHeaders;
    body: string;
}

/** A server on 127.0.0.1 that answers each path with a recording, sent in small pieces like a real stream. */
export class ReplayServer {
    private constructor(
        private readonly server: Server,
        readonly url: string,
        readonly seen: SeenRequest[]
    ) {}

    static async start(
        routes: Record<string, Recording>,
        options: { chunkBytes?: number; requireKey?: string } = {}
    ): Promise<ReplayServer> {
        const seen: SeenRequest[] = [];
        const server = createServer((req, res) => {
            let body = "";
            req.on("data", (c: Buffer) => {
                body += c.toString();
            });
            req.on("end", () => {
                seen.push({
                    method: req.method ?? "",
                    path: req.url ?? "",
                    headers: req.headers,
                    body
                });
                if (
                    options.requireKey &&
                    req.headers.authorization !== `Bearer ${options.requireKey}`
                ) {
                    res.writeHead(401, { "content-type": "application/json" });
                    res.end(
                        JSON.stringify({
                            error: {
                                code: 401,
                                message: "Invalid API Key",
                                type: "authentication_error"
                            }
                        })
                    );
                    return;
                }
                const recording = routes[`${req.method} ${req.url}`];
                if (!recording) {
                    res.writeHead(404);
                    res.end("not found");
                    return;
                }
                const headers = { ...recording.headers };
                delete headers["content-length"];
                delete headers["transfer-encoding"];
                res.writeHead(recording.status, headers);
                const bytes = Buffer.from(recording.body);
                const size = options.chunkBytes ?? bytes.length;
                for (let at = 0; at < bytes.length; at += size)
                    res.write(bytes.subarray(at, at + size));
                res.end();
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        return new ReplayServer(
            server,
            `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
            seen
        );
    }

    close(): Promise<void> {
        return new Promise((resolve) => {
            this.server.close(() => resolve());
            this.server.closeAllConnections();
        });
    }
}
