/**
 * Decides where inference runs, in one place: the local model by default, a team server when the
 * client configures one (`apprentice/backend/configure`), that server with the local model as
 * fallback when enabled. The composition root makes one and passes it to every feature in its
 * context (`context.inference`); completion and chat ask it for `current` on every request, so a
 * settings change takes effect at once, and never ask which kind it is.
 */
import { Emitter, type Event } from "vscode-languageserver";
import {
    DEFAULT_BACKEND,
    normalizeBackendSettings,
    remoteHost,
    type BackendSettings
} from "../../shared/backend";
import type {
    BackendCheckResult,
    BackendConfiguration,
    BackendHealth,
    BackendStatus
} from "../../shared/backendProtocol";
import type { ModelHost } from "../modelHost/modelHost";
import type { Logger } from "../log";
import type { Backend, ChatRequest, InfillRequest } from "../remote/backend";
import { createRemoteBackend } from "../remote/createBackend";
import { isAbortError, isBackendError, type BackendError } from "./errors";
import { FallbackInference } from "./fallbackInference";
import type { Inference } from "./inference";
import { LocalInference } from "./localInference";
import { RemoteInference, type SecretCheck } from "./remoteInference";

export class InferenceHost {
    readonly local: LocalInference;
    /** The team server's client, when one is configured. */
    private remote: Backend | undefined;
    private remoteInference: Inference | undefined;
    private settings: BackendSettings = DEFAULT_BACKEND;
    private apiKey = "";
    private configured = false;
    private _status: BackendStatus = { kind: "local", health: "local", usingFallback: false };
    private readonly statusEmitter = new Emitter<BackendStatus>();
    readonly onDidChangeStatus: Event<BackendStatus> = this.statusEmitter.event;

    constructor(
        host: ModelHost,
        private readonly secrets: SecretCheck,
        private readonly log: Logger
    ) {
        this.local = new LocalInference(host, log);
    }

    get status(): BackendStatus {
        return this._status;
    }

    /** Where this request is answered. */
    get current(): Inference {
        return this.remoteInference ?? this.local;
    }

    configure(configuration: BackendConfiguration): void {
        const settings = normalizeBackendSettings(configuration.settings);
        const key = configuration.apiKey ?? "";
        if (
            this.configured &&
            JSON.stringify(settings) === JSON.stringify(this.settings) &&
            key === this.apiKey
        )
            return;
        this.configured = true;
        this.apiKey = key;
        this.remote?.dispose();
        this.remote = undefined;
        this.remoteInference = undefined;
        this.settings = settings;
        const remote = createRemoteBackend(settings, configuration.apiKey);
        if (!remote) {
            this.log.info("Backend: the local model (no code leaves this machine).");
            this.setStatus({ kind: "local", health: "local", usingFallback: false });
            return;
        }
        const host = remoteHost(settings)!;
        const observed = new ObservedBackend(remote, (health, error) =>
            this.onHealth(health, error)
        );
        this.remote = observed;
        const server = new RemoteInference(observed, this.secrets);
        this.remoteInference = settings.fallbackToLocal
            ? new FallbackInference(server, this.local, (usingFallback, error) =>
                  this.onFallback(usingFallback, error)
              )
            : server;
        this.log.info(
            `Backend: ${settings.kind} at ${host}; code is sent to that server${configuration.apiKey ? " with an API key" : ""}.`
        );
        this.setStatus({ kind: settings.kind, host, health: "unknown", usingFallback: false });
    }

    /** Contacts the server now: its model list doubles as a health check. */
    async check(signal: AbortSignal): Promise<BackendCheckResult> {
        const backend = this.remote;
        if (!backend) return { status: this._status, models: this.local.modelNames() };
        try {
            const models = await backend.models(signal);
            if (this.remote) this.onHealth("ok");
            return { status: this._status, models };
        } catch (error) {
            if (!isBackendError(error)) throw error;
            return { status: this._status, models: [] };
        }
    }

    private onHealth(health: BackendHealth, error?: BackendError): void {
        const message = error ? `${error.message} ${error.action}` : undefined;
        if (this._status.health === health && this._status.message === message) return;
        if (error) this.log.warn(`Backend ${this._status.host}: ${error.message}`);
        else if (health === "ok" && this._status.health !== "unknown")
            this.log.info(`Backend ${this._status.host} answers again.`);
        this.setStatus({ ...this._status, health, message });
    }

    private onFallback(usingFallback: boolean, error?: BackendError): void {
        if (usingFallback)
            this.log.warn(
                `Backend ${this._status.host} cannot be reached (${error?.message ?? "unknown"}); using the local model until it answers again.`
            );
        this.setStatus({ ...this._status, usingFallback });
    }

    private setStatus(status: BackendStatus): void {
        this._status = status;
        this.statusEmitter.fire(status);
    }

    dispose(): void {
        this.remote?.dispose();
        this.remote = undefined;
        this.remoteInference = undefined;
        this.local.dispose();
        this.statusEmitter.dispose();
    }

    /** For tests and logs: the settings in use (never the key). */
    get currentSettings(): BackendSettings {
        return this.settings;
    }
}

/** Reports each request's outcome as the server's health. */
class ObservedBackend implements Backend {
    constructor(
        private readonly inner: Backend,
        private readonly report: (health: BackendHealth, error?: BackendError) => void
    ) {}

    get kind() {
        return this.inner.kind;
    }
    get host() {
        return this.inner.host;
    }

    async infill(request: InfillRequest, signal: AbortSignal): Promise<string> {
        try {
            const text = await this.inner.infill(request, signal);
            this.report("ok");
            return text;
        } catch (error) {
            this.fail(error, signal);
            throw error;
        }
    }

    async *chat(request: ChatRequest, signal: AbortSignal): AsyncGenerator<string> {
        let first = true;
        try {
            for await (const chunk of this.inner.chat(request, signal)) {
                if (first) this.report("ok");
                first = false;
                yield chunk;
            }
        } catch (error) {
            this.fail(error, signal);
            throw error;
        }
    }

    models(signal: AbortSignal): Promise<string[]> {
        return this.inner.models(signal).catch((error: unknown) => {
            this.fail(error, signal);
            throw error;
        });
    }

    private fail(error: unknown, signal: AbortSignal): void {
        if (isAbortError(error, signal) || !isBackendError(error)) return;
        const health: BackendHealth =
            error.code === "unreachable" || error.code === "timeout"
                ? "unreachable"
                : error.code === "unauthorized"
                  ? "unauthorized"
                  : "error";
        this.report(health, error);
    }

    dispose(): void {
        this.inner.dispose();
    }
}
