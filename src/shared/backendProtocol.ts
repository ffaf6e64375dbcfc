/** Custom LSP methods of the backend area (`apprentice/backend/...`). */
import { NotificationType, RequestType0 } from "vscode-languageserver-protocol";
import type { BackendKind, BackendSettings } from "./backend";

/** Client → engine: use this backend. The API key comes from the client's secret storage; the engine never logs it. */
export interface BackendConfiguration {
    settings: BackendSettings;
    apiKey?: string;
}

export namespace BackendConfigureNotification {
    export const method = "apprentice/backend/configure" as const;
    export const type = new NotificationType<BackendConfiguration>(method);
}

export type BackendHealth = "local" | "unknown" | "ok" | "unreachable" | "unauthorized" | "error";

/** Engine → client: which backend serves requests, and where code goes. */
export interface BackendStatus {
    kind: BackendKind;
    /** `host:port` that code is sent to; absent for the local backend. */
    host?: string;
    health: BackendHealth;
    /** What went wrong and what to do, when health is not ok. */
    message?: string;
    /** True while requests are answered by the local model because the server is down. */
    usingFallback: boolean;
}

export namespace BackendStatusNotification {
    export const method = "apprentice/backend/status" as const;
    export const type = new NotificationType<BackendStatus>(method);
}

/** Client → engine: contact the configured server now (health + model list) and report. */
export interface BackendCheckResult {
    status: BackendStatus;
    models: string[];
}

export namespace BackendCheckRequest {
    export const method = "apprentice/backend/check" as const;
    export const type = new RequestType0<BackendCheckResult, void>(method);
}
