/**
 * Starts the engine process through vscode-languageclient (Node IPC, `process.execPath`),
 * forwards settings, follows its status, and supervises it: a crash is restarted with a
 * bounded back-off, the user is told once, and repeated crashes stop with an error.
 */
import * as vscode from "vscode";
import {
    CloseAction,
    ErrorAction,
    LanguageClient,
    State,
    TransportKind,
    type CloseHandlerResult,
    type ErrorHandler,
    type ErrorHandlerResult,
    type LanguageClientOptions,
    type Middleware,
    type ServerOptions
} from "vscode-languageclient/node";
import { StatusNotification, type InitializationOptions } from "../shared/protocol";
import { changedKeys, RESTART_KEYS, type EngineSettings } from "../shared/settings";
import type { EngineStatus } from "../shared/status";
import { readEngineSettings } from "./config";
import { composeMiddleware } from "./middleware";
import { RestartPolicy } from "./restartPolicy";

/** The engine's own status, plus the states only the extension can see. */
export type ClientStatus =
    | EngineStatus
    | { state: "stopped"; message: string }
    | { state: "crashed"; message: string; restartInMs: number };

/** What the engine client needs of a feature (the whole contract is ExtensionFeature in feature.ts). */
export interface LanguageClientHooks {
    /** Called with each new LanguageClient (every engine start) before it starts: register handlers on it. */
    register(languageClient: LanguageClient): void;
    /** vscode-languageclient middleware; composed with the other features' by composeMiddleware. */
    readonly middleware?: Middleware;
}

export class EngineClient implements vscode.Disposable {
    private client: LanguageClient | undefined;
    private settings: EngineSettings = readEngineSettings();
    private readonly policy = new RestartPolicy();
    private readonly statusEmitter = new vscode.EventEmitter<ClientStatus>();
    private readonly clientEmitter = new vscode.EventEmitter<LanguageClient | undefined>();
    private _status: ClientStatus = { state: "starting" };
    private restartTimer: NodeJS.Timeout | undefined;
    private toldAboutCrash = false;
    private generation = 0;
    /** The tail of the start/stop/restart/settings queue (see `serialize`). */
    private lifecycle: Promise<void> = Promise.resolve();
    private pendingRestart: Promise<void> | undefined;
    private readonly disposables: vscode.Disposable[] = [];

    readonly onDidChangeStatus = this.statusEmitter.event;
    /** Fires when a new engine connection is running, and with undefined when it goes away. */
    readonly onDidChangeClient = this.clientEmitter.event;

    constructor(
        private readonly serverModule: string,
        private readonly log: vscode.LogOutputChannel,
        private readonly features: readonly LanguageClientHooks[] = [],
        /** Folder of binary packages downloaded on request (the CUDA build), passed to the engine. */
        private readonly binariesFolder?: string
    ) {
        this.disposables.push(
            this.statusEmitter,
            this.clientEmitter,
            vscode.workspace.onDidChangeConfiguration((e) => {
                if (e.affectsConfiguration("apprentice"))
                    void this.serialize(() => this.applySettings());
            }),
            // Trusting the folder makes its restricted settings and `${workspaceFolder}` in paths count.
            vscode.workspace.onDidGrantWorkspaceTrust(
                () => void this.serialize(() => this.applySettings())
            )
        );
    }

    get status(): ClientStatus {
        return this._status;
    }
    get languageClient(): LanguageClient | undefined {
        return this.client?.state === State.Running ? this.client : undefined;
    }
    get currentSettings(): EngineSettings {
        return this.settings;
    }

    /** The engine's process id, for diagnostics and tests. */
    get pid(): number | undefined {
        const child = (this.client as unknown as { _serverProcess?: { pid?: number } } | undefined)
            ?._serverProcess;
        return child?.pid;
    }

    /** Starts the engine (after any start, stop or restart already under way). */
    start(): Promise<void> {
        return this.serialize(() => this.startNow());
    }

    /**
     * Stops the engine (if running) and starts a new one; a manual restart forgets earlier crashes.
     * Restarts asked for while one is still waiting its turn share that one.
     */
    restart(manual = true): Promise<void> {
        if (manual) this.policy.reset();
        this.pendingRestart ??= this.serialize(async () => {
            this.pendingRestart = undefined;
            await this.stopNow();
            await this.startNow();
        });
        return this.pendingRestart;
    }

    stop(): Promise<void> {
        return this.serialize(() => this.stopNow());
    }

    /**
     * Runs lifecycle operations one at a time, in order: a settings change that arrives while the
     * engine is starting is applied once it runs, and overlapping restarts never leave two engines.
     */
    private serialize(operation: () => Promise<void>): Promise<void> {
        const result = this.lifecycle.then(operation);
        this.lifecycle = result.catch((error) =>
            this.log.error(`Engine lifecycle: ${String(error)}`)
        );
        return result;
    }

    private async startNow(): Promise<void> {
        const generation = ++this.generation;
        this.settings = readEngineSettings();
        this.setStatus({ state: "starting" });
        const options: InitializationOptions = {
            settings: this.settings,
            binariesFolder: this.binariesFolder
        };
        const run = {
            module: this.serverModule,
            transport: TransportKind.ipc,
            options: { env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" } }
        };
        const serverOptions: ServerOptions = { run, debug: run };
        const clientOptions: LanguageClientOptions = {
            documentSelector: [{ scheme: "file" }, { scheme: "untitled" }],
            outputChannel: this.log,
            initializationOptions: options,
            middleware: composeMiddleware(this.features.map((feature) => feature.middleware)),
            errorHandler: this.errorHandler(generation),
            initializationFailedHandler: (error) => {
                this.log.error(`The engine failed to initialize: ${String(error)}`);
                return false;
            }
        };
        const client = new LanguageClient(
            "apprentice.engine",
            "Apprentice Engine",
            serverOptions,
            clientOptions
        );
        this.client = client;
        client.onNotification(StatusNotification.type, (status) => {
            if (generation === this.generation) this.setStatus(status);
        });
        for (const feature of this.features) feature.register(client);
        try {
            await client.start();
            if (generation === this.generation) this.clientEmitter.fire(client);
        } catch (error) {
            if (generation !== this.generation) return;
            this.log.error(`Could not start the engine: ${String(error)}`);
            this.setStatus({
                state: "stopped",
                message: `The engine could not start: ${String(error)}`
            });
        }
    }

    private async stopNow(): Promise<void> {
        clearTimeout(this.restartTimer);
        this.restartTimer = undefined;
        this.generation++;
        const client = this.client;
        this.client = undefined;
        if (!client) return;
        this.clientEmitter.fire(undefined);
        try {
            if (client.state === State.Running) await client.stop(4000);
            else await client.dispose(2000);
        } catch (error) {
            this.log.warn(`Engine stop: ${String(error)}`);
        }
    }

    /** Runs in turn with starts and stops, so it compares with the settings the current engine got. */
    private async applySettings(): Promise<void> {
        const next = readEngineSettings();
        const changed = changedKeys(this.settings, next);
        if (changed.length === 0) return;
        this.log.info(`Settings changed: ${changed.join(", ")}`);
        if (
            changed.some((key) => RESTART_KEYS.includes(key)) ||
            this.status.state === "stopped" ||
            !this.languageClient
        ) {
            this.policy.reset();
            await this.stopNow();
            await this.startNow();
            return;
        }
        this.settings = next;
        await this.languageClient.sendNotification("workspace/didChangeConfiguration", {
            settings: { apprentice: next }
        });
    }

    private errorHandler(generation: number): ErrorHandler {
        return {
            error: (error, _message, count): ErrorHandlerResult => {
                this.log.error(`Engine connection error: ${error.message}`);
                return {
                    action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
                    handled: true
                };
            },
            closed: (): CloseHandlerResult => {
                if (generation === this.generation) this.onCrash();
                return { action: CloseAction.DoNotRestart, handled: true };
            }
        };
    }

    private onCrash(): void {
        this.generation++;
        const dead = this.client;
        this.client = undefined;
        this.clientEmitter.fire(undefined);
        void dead?.dispose(1000).catch(() => undefined);
        const decision = this.policy.onCrash(Date.now());
        if (!decision.restart) {
            const message = `The Apprentice engine stopped ${decision.crashes} times in a few minutes, so it is not restarted again.`;
            this.log.error(message);
            this.setStatus({ state: "stopped", message });
            void vscode.window
                .showErrorMessage(
                    `${message} See the log for the cause.`,
                    "Restart Engine",
                    "Show Log"
                )
                .then((choice) => {
                    if (choice === "Restart Engine") void this.restart();
                    if (choice === "Show Log") this.log.show(true);
                });
            return;
        }
        this.log.warn(
            `The engine stopped unexpectedly; restarting in ${decision.delayMs} ms (attempt ${decision.attempt}).`
        );
        this.setStatus({
            state: "crashed",
            message: "The engine stopped unexpectedly; restarting…",
            restartInMs: decision.delayMs
        });
        if (!this.toldAboutCrash) {
            this.toldAboutCrash = true;
            void vscode.window
                .showWarningMessage(
                    "The Apprentice engine stopped unexpectedly and is being restarted. Nothing you typed is lost.",
                    "Show Log"
                )
                .then((choice) => {
                    if (choice === "Show Log") this.log.show(true);
                });
        }
        this.restartTimer = setTimeout(() => {
            this.restartTimer = undefined;
            void this.start();
        }, decision.delayMs);
    }

    private setStatus(status: ClientStatus): void {
        this._status = status;
        this.statusEmitter.fire(status);
    }

    async dispose(): Promise<void> {
        await this.stop();
        for (const d of this.disposables.splice(0)) d.dispose();
    }
}
