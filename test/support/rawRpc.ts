/**
 * A raw JSON-RPC client for hostile-input tests: writes any bytes as framed LSP messages to the
 * real engine (`dist/engine.js --stdio`) and reads every framed reply, so that malformed messages
 * can be sent that a well-behaved client library would refuse to produce.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { ENGINE_JS } from "./engineProcess";

export interface RpcReply {
    id?: number | string | null;
    result?: unknown;
    error?: { code: number; message: string; data?: unknown };
    method?: string;
    params?: unknown;
}

export class RawRpcEngine {
    readonly child: ChildProcess;
    stderr = "";
    exitCode: number | null | undefined;
    readonly exited: Promise<number | null>;
    /** Notifications from the engine, in order. */
    readonly notifications: RpcReply[] = [];
    private buffer = Buffer.alloc(0);
    private readonly pending = new Map<string, (reply: RpcReply) => void>();
    private readonly failures = new Map<string, (error: Error) => void>();
    private readonly replies = new Map<string, RpcReply>();
    private nextId = 1;

    constructor(env: NodeJS.ProcessEnv = {}) {
        // APPRENTICE_TEST_ENGINE_JS runs these tests against another build of the engine (cross-checks).
        this.child = spawn(
            process.execPath,
            [process.env.APPRENTICE_TEST_ENGINE_JS ?? ENGINE_JS, "--stdio"],
            { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...env } }
        );
        this.exited = new Promise((resolve) =>
            this.child.once("exit", (code, signal) => {
                this.exitCode = code ?? -1;
                // Nothing more will come: fail every waiting request now rather than at its timeout.
                for (const fail of this.failures.values())
                    fail(
                        new Error(
                            `The engine exited (code ${code}, signal ${signal}) before replying; stderr: ${this.stderr.slice(-1500)}`
                        )
                    );
                this.failures.clear();
                resolve(code);
            })
        );
        this.child.stderr!.on("data", (chunk: Buffer) => {
            this.stderr = (this.stderr + chunk.toString()).slice(-20_000);
        });
        this.child.stdout!.on("data", (chunk: Buffer) => this.onData(chunk));
        // A dead engine makes writes fail with EPIPE; the tests notice through `exitCode`.
        this.child.stdin!.on("error", () => undefined);
    }

    get alive(): boolean {
        return this.exitCode === undefined;
    }
    get pid(): number {
        return this.child.pid!;
    }

    /** Writes a body (object → JSON, string or bytes as they are) with a correct Content-Length. */
    writeBody(body: unknown): void {
        const bytes = Buffer.isBuffer(body)
            ? body
            : Buffer.from(typeof body === "string" ? body : JSON.stringify(body), "utf8");
        this.child.stdin!.write(
            Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, "ascii"), bytes])
        );
    }

    /** Sends a request with a fresh numeric id and resolves with its reply. */
    request(method: string, params?: unknown, timeoutMs = 30_000): Promise<RpcReply> {
        const id = this.nextId++;
        const message: Record<string, unknown> = { jsonrpc: "2.0", id, method };
        if (params !== undefined) message.params = params;
        const reply = this.waitForReply(id, timeoutMs);
        this.writeBody(message);
        return reply;
    }

    /** Reserves an id for a hand-made request body. */
    takeId(): number {
        return this.nextId++;
    }

    notify(method: string, params?: unknown): void {
        const message: Record<string, unknown> = { jsonrpc: "2.0", method };
        if (params !== undefined) message.params = params;
        this.writeBody(message);
    }

    waitForReply(id: number | string, timeoutMs = 30_000): Promise<RpcReply> {
        const key = JSON.stringify(id);
        const ready = this.replies.get(key);
        if (ready) {
            this.replies.delete(key);
            return Promise.resolve(ready);
        }
        if (!this.alive)
            return Promise.reject(
                new Error(
                    `The engine has exited (${this.exitCode}); stderr: ${this.stderr.slice(-1500)}`
                )
            );
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.pending.delete(key);
                this.failures.delete(key);
                reject(
                    new Error(
                        `No reply to request ${key} within ${timeoutMs} ms (engine ${this.alive ? "alive" : `exited ${this.exitCode}`}); stderr: ${this.stderr.slice(-1500)}`
                    )
                );
            }, timeoutMs);
            this.pending.set(key, (reply) => {
                clearTimeout(timer);
                this.failures.delete(key);
                resolve(reply);
            });
            this.failures.set(key, (error) => {
                clearTimeout(timer);
                this.pending.delete(key);
                reject(error);
            });
        });
    }

    private onData(chunk: Buffer): void {
        this.buffer = Buffer.concat([this.buffer, chunk]);
        for (;;) {
            const headerEnd = this.buffer.indexOf("\r\n\r\n");
            if (headerEnd < 0) return;
            const header = this.buffer.subarray(0, headerEnd).toString("ascii");
            const match = /Content-Length: *(\d+)/i.exec(header);
            if (!match) throw new Error(`Engine wrote a frame without Content-Length: ${header}`);
            const length = Number(match[1]);
            if (this.buffer.length < headerEnd + 4 + length) return;
            const body = this.buffer
                .subarray(headerEnd + 4, headerEnd + 4 + length)
                .toString("utf8");
            this.buffer = this.buffer.subarray(headerEnd + 4 + length);
            this.onMessage(JSON.parse(body) as RpcReply);
        }
    }

    private onMessage(message: RpcReply): void {
        if (message.method !== undefined) {
            // A request from the engine (e.g. workspace/configuration) gets an empty answer.
            if (message.id !== undefined)
                this.writeBody({ jsonrpc: "2.0", id: message.id, result: null });
            else this.notifications.push(message);
            return;
        }
        const key = JSON.stringify(message.id ?? null);
        const waiter = this.pending.get(key);
        if (waiter) {
            this.pending.delete(key);
            waiter(message);
        } else this.replies.set(key, message);
    }

    /** Polite shutdown, then SIGKILL after `limitMs`. */
    async shutdown(limitMs = 15_000): Promise<number | null> {
        if (this.alive) {
            await this.request("shutdown", undefined, limitMs).catch(() => undefined);
            this.notify("exit");
        }
        const timer = setTimeout(() => this.child.kill("SIGKILL"), limitMs);
        const code = await this.exited;
        clearTimeout(timer);
        return code;
    }
}

/** Reads the resident set size of a process in bytes (Linux /proc), or undefined elsewhere. */
export async function rssBytes(pid: number): Promise<number | undefined> {
    const { readFile } = await import("node:fs/promises");
    try {
        const status = await readFile(`/proc/${pid}/status`, "utf8");
        const match = /VmRSS:\s+(\d+) kB/.exec(status);
        return match ? Number(match[1]) * 1024 : undefined;
    } catch {
        return undefined;
    }
}
