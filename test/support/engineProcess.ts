/** Spawns the built engine (`dist/engine.js --stdio`) and speaks LSP to it over JSON-RPC, as any client would. */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import {
    createProtocolConnection,
    InitializeRequest,
    InitializedNotification,
    ExitNotification,
    ShutdownRequest,
    StreamMessageReader,
    StreamMessageWriter,
    type ProtocolConnection,
    type InitializeResult
} from "vscode-languageserver-protocol/node";
import { StatusNotification } from "../../src/shared/protocol";
import type { EngineSettings } from "../../src/shared/settings";
import type { EngineStatus } from "../../src/shared/status";
import { REPO_ROOT } from "./models";

export const ENGINE_JS = path.join(REPO_ROOT, "dist", "engine.js");

export class EngineProcess {
    readonly statuses: EngineStatus[] = [];
    readonly logs: string[] = [];
    stderr = "";
    private waiters: {
        predicate: (s: EngineStatus) => boolean;
        resolve: (s: EngineStatus) => void;
    }[] = [];
    exitCode: number | null | undefined;
    readonly exited: Promise<number | null>;

    private constructor(
        readonly child: ChildProcess,
        readonly connection: ProtocolConnection
    ) {
        this.exited = new Promise((resolve) =>
            child.once("exit", (code) => {
                this.exitCode = code;
                resolve(code);
            })
        );
        child.stderr?.on("data", (chunk: Buffer) => {
            this.stderr += chunk.toString();
        });
        connection.onNotification(StatusNotification.type, (status) => {
            this.statuses.push(status);
            this.waiters = this.waiters.filter((w) => {
                if (!w.predicate(status)) return true;
                w.resolve(status);
                return false;
            });
        });
        connection.onNotification("window/logMessage", (p: { message: string }) => {
            this.logs.push(p.message);
        });
        connection.listen();
    }

    /** `user` runs the engine as another user (the caller must be root), e.g. to meet file permissions as a normal user does. */
    static spawn(
        env: NodeJS.ProcessEnv = {},
        engineJs: string = ENGINE_JS,
        user?: { uid: number; gid: number }
    ): EngineProcess {
        const child = spawn(process.execPath, [engineJs, "--stdio"], {
            stdio: ["pipe", "pipe", "pipe"],
            env: { ...process.env, ...env },
            ...user
        });
        const connection = createProtocolConnection(
            new StreamMessageReader(child.stdout!),
            new StreamMessageWriter(child.stdin!)
        );
        return new EngineProcess(child, connection);
    }

    /** `binariesFolder`: downloaded binary packages (the CUDA build), as the extension passes its global storage folder. */
    async initialize(
        settings: Partial<EngineSettings>,
        binariesFolder?: string
    ): Promise<InitializeResult> {
        const result = await this.connection.sendRequest(InitializeRequest.type, {
            processId: process.pid,
            rootUri: null,
            capabilities: {},
            initializationOptions: { settings, binariesFolder }
        });
        await this.connection.sendNotification(InitializedNotification.type, {});
        return result;
    }

    /** Resolves with the first status (already seen after `since`, or future) that matches. */
    waitForStatus(
        predicate: (s: EngineStatus) => boolean,
        timeoutMs = 60_000,
        since = 0
    ): Promise<EngineStatus> {
        const seen = this.statuses.slice(since).find(predicate);
        if (seen) return Promise.resolve(seen);
        return new Promise((resolve, reject) => {
            const timer = setTimeout(
                () =>
                    reject(
                        new Error(
                            `No matching status within ${timeoutMs} ms; seen: ${JSON.stringify(this.statuses.slice(-5))}\nstderr: ${this.stderr.slice(-2000)}`
                        )
                    ),
                timeoutMs
            );
            this.waiters.push({
                predicate,
                resolve: (s) => {
                    clearTimeout(timer);
                    resolve(s);
                }
            });
        });
    }

    /** Waits for the next settled state (ready, error or noModel) after the statuses seen so far. */
    waitForSettled(timeoutMs = 60_000, since = this.statuses.length): Promise<EngineStatus> {
        return this.waitForStatus(
            (s) => s.state === "ready" || s.state === "error" || s.state === "noModel",
            timeoutMs,
            since
        );
    }

    async changeSettings(settings: Partial<EngineSettings>): Promise<void> {
        await this.connection.sendNotification("workspace/didChangeConfiguration", {
            settings: { apprentice: settings }
        });
    }

    async shutdown(): Promise<number | null> {
        if (this.exitCode === undefined) {
            try {
                await this.connection.sendRequest(ShutdownRequest.type);
                await this.connection.sendNotification(ExitNotification.type);
            } catch {
                /* already gone */
            }
        }
        const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
        const code = await this.exited;
        clearTimeout(timer);
        this.connection.dispose();
        return code;
    }
}
