/**
 * Starts a llama.cpp `llama-server` binary on 127.0.0.1 for one model (`--llama-server-bin`), so
 * one bench run can compare several models against it: same threads, one slot, llama.vscode's
 * recommended `--cache-reuse 256`, and `-b 1024 -ub 512` (with the default batch of 2,048 a
 * 2,048-token model's `/infill` rejects llama.vscode's longest requests).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { LlamaServerClient, LlamaServerError } from "./llamaServer";

export interface LlamaServerProcess {
    readonly url: string;
    readonly args: readonly string[];
    dispose(): Promise<void>;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            const port = typeof address === "object" && address ? address.port : 0;
            server.close(() => resolve(port));
        });
    });
}

/** The server's arguments for a model and thread count (ctx 0: the model's training context). */
export function llamaServerArgs(model: string, threads: number, port: number): string[] {
    return [
        "-m",
        model,
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
        "-t",
        String(threads),
        "-c",
        "0",
        "-b",
        "1024",
        "-ub",
        "512",
        "-np",
        "1",
        "--cache-reuse",
        "256",
        "--no-webui"
    ];
}

/** Spawns the server and waits (at most `timeoutMs`) until `/health` answers 200. */
export async function startLlamaServer(
    binary: string,
    model: string,
    threads: number,
    timeoutMs = 120_000
): Promise<LlamaServerProcess> {
    const port = await freePort();
    const args = llamaServerArgs(model, threads, port);
    const child: ChildProcess = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4000);
    });
    let exited: number | null | undefined;
    child.once("exit", (code) => {
        exited = code;
    });
    const spawnError = new Promise<never>((_, reject) =>
        child.once("error", (error) =>
            reject(new LlamaServerError(`Cannot start ${binary}: ${error.message}`))
        )
    );
    spawnError.catch(() => undefined);
    const url = `http://127.0.0.1:${port}`;
    const client = new LlamaServerClient(url);
    const dispose = async () => {
        if (exited !== undefined || child.exitCode !== null) return;
        const gone = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await gone;
        clearTimeout(timer);
    };
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (exited !== undefined)
            throw new LlamaServerError(
                `llama-server exited with ${exited} before it was ready: ${stderr.split("\n").slice(-5).join(" | ")}`
            );
        try {
            await Promise.race([client.checkHealth(AbortSignal.timeout(2000)), spawnError]);
            return { url, args, dispose };
        } catch (error) {
            if (error instanceof LlamaServerError && /Cannot start/.test(error.message))
                throw error;
            if (Date.now() > deadline) {
                await dispose();
                throw new LlamaServerError(
                    `llama-server at ${url} was not ready after ${timeoutMs} ms`
                );
            }
            await new Promise((resolve) => setTimeout(resolve, 300));
        }
    }
}
