/**
 * Apprentice's custom LSP methods. Each one is a namespace with its method name and
 * its typed message type, defined once and used by the engine and every client.
 * Standard LSP is used wherever a standard exists.
 */
import { NotificationType, RequestType0 } from "vscode-languageserver-protocol";
import type { EngineSettings } from "./settings";
import type { EngineStatus } from "./status";

/** `initializationOptions` sent by a client. */
export interface InitializationOptions {
    settings?: Partial<EngineSettings>;
    /** Folder of node-llama-cpp binary packages downloaded on request (the CUDA build), in the extension's global storage. */
    binariesFolder?: string;
}

/** Engine → client: the engine's state changed. */
export namespace StatusNotification {
    export const method = "apprentice/status" as const;
    export const type = new NotificationType<EngineStatus>(method);
}

/** Client → engine: the current state, for clients that connect late. */
export namespace StatusRequest {
    export const method = "apprentice/status/get" as const;
    export const type = new RequestType0<EngineStatus, void>(method);
}

/**
 * `workspace/didChangeConfiguration` carries `{ settings: { apprentice: Partial<EngineSettings> } }`,
 * the same shape VS Code's configuration sync uses.
 */
export interface ConfigurationChange {
    apprentice?: Partial<EngineSettings>;
}
