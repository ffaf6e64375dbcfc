/** Runs the built engine in `serve` mode on 127.0.0.1 (a free port) and talks HTTP to it. */
import { spawn, type ChildProcess } from "node:child_process";
import { ENGINE_JS } from "./engineProcess";

export class ServeProcess {
    stdout = "";
    stderr = "";
    exitCode: number | null | undefined;
    readonly exited: Promise<number | null>;

    private constructor(
        readonly child: ChildProcess,
        readonly url: string
    ) {
        this.exited = new Promise((resolve) => {
            if (child.exitCode !== null) resolve(child.exitCode);
            else child.once("exit", (code) => resolve(code));
        });
        void this.exited.then((code) => {
            this.exitCode = code;
        });
    }

    /** Starts `serve` with a model and extra arguments; resolves once it listens. */
    static async start(
        model: string,
        args: readonly string[] = [],
        env: NodeJS.ProcessEnv = {},
        timeoutMs = 60_000
    ): Promise<ServeProcess> {
        const child = spawn(
            process.execPath,
            [
                ENGINE_JS,
                "serve",
                "--model",
                model,
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--threads",
                "1",
                "--gpu",
                "off",
                ...args
            ],
            { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } }
        );
        let stdout = "";
        let stderr = "";
        child.stderr!.on("data", (chunk: Buffer) => {
            stderr += chunk.toString();
        });
        const url = await new Promise<string>((resolve, reject) => {
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                reject(new Error(`serve did not start within ${timeoutMs} ms: ${stderr}`));
            }, timeoutMs);
            child.stdout!.on("data", (chunk: Buffer) => {
                stdout += chunk.toString();
                const match = /listening on (http:\/\/\S+?:\d+)/.exec(stdout);
                if (match) {
                    clearTimeout(timer);
                    resolve(match[1]!);
                }
            });
            child.once("exit", (code) => {
                clearTimeout(timer);
                reject(new Error(`serve exited with ${code}: ${stderr}`));
            });
        });
        const serve = new ServeProcess(child, url);
        serve.stdout = stdout;
        child.stdout!.on("data", (chunk: Buffer) => {
            serve.stdout += chunk.toString();
        });
        child.stderr!.on("data", (chunk: Buffer) => {
            serve.stderr += chunk.toString();
        });
        serve.stderr = stderr;
        return serve;
    }

    /** Counters from /metrics, e.g. `requests_cancelled_total`. */
    async metrics(headers: Record<string, string> = {}): Promise<Record<string, number>> {
        const text = await (await fetch(`${this.url}/metrics`, { headers })).text();
        return Object.fromEntries(
            text
                .trim()
                .split("\n")
                .map((line) => {
                    const [name, value] = line.split(" ");
                    return [name!.replace(/^apprentice:/, ""), Number(value)];
                })
        );
    }

    /** SIGTERM (graceful) or SIGKILL (a crash); resolves with the exit code. */
    async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
        if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
        const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
        const code = await this.exited;
        clearTimeout(timer);
        return code;
    }
}
