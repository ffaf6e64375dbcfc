import type { Connection, ServerCapabilities, TextDocuments } from "vscode-languageserver";
import type { EngineSettings } from "../shared/settings";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { DocumentHealth } from "./documents/documentHealth";
import type { Logger } from "./log";
import type { InferenceHost } from "./inference/inferenceHost";
import type { ModelHost } from "./modelHost/modelHost";

/** What every engine feature gets from the composition root. */
export interface FeatureContext {
    readonly connection: Connection;
    readonly documents: TextDocuments<TextDocument>;
    /** Whether a document may be used as model context (not too large, not binary, in sync). */
    readonly documentHealth: DocumentHealth;
    readonly host: ModelHost;
    /** Where inference runs (the local model, a team server, or a server with the local model as fallback). */
    readonly inference: InferenceHost;
    readonly log: Logger;
    /** The engine's current settings (from `initialize` and `workspace/didChangeConfiguration`). */
    readonly settings: () => EngineSettings;
    /** Changes settings as a client's configuration change would; resolves when the model host is done. */
    readonly updateSettings: (change: Partial<EngineSettings>) => Promise<void>;
    /** Folder of binary packages downloaded on request (the CUDA build), when the client gave one. */
    readonly binariesFolder?: string;
}

/** One area of the engine (completion, chat, …): registers its handlers when created. */
export interface EngineFeature {
    /** Server capabilities this feature adds to the `initialize` result. */
    readonly capabilities?: ServerCapabilities;
    /**
     * Apprentice's own (namespaced) methods this feature serves or sends, announced to clients in
     * `initialize` as `capabilities.experimental.apprentice.methods`, so other editors can discover them.
     */
    readonly methods?: readonly string[];
    dispose(): void | Promise<void>;
}

export type FeatureFactory = (context: FeatureContext) => EngineFeature;
