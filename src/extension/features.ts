/** The extension's features (inline completion, chat, …), created at activation. Add new areas here. */
import type * as vscode from "vscode";
import type { ApprenticeApi } from "./api";
import { createChatFeature } from "./chat/chatFeature";
import { CompletionClientFeature } from "./completion/completionClientFeature";
import { createBackendClientFeature } from "./backend/backendClientFeature";
import type { ClientFeature, EngineClient } from "./engineClient";
import { createModelsFeature } from "./models/modelsFeature";

export interface ExtensionFeature extends ClientFeature, vscode.Disposable {
    /** Called once the engine client exists. */
    activate?(engine: EngineClient): void;
    /** Parts of the ApprenticeApi this feature provides. */
    readonly api?: Partial<ApprenticeApi>;
}

export type ExtensionFeatureFactory = (context: vscode.ExtensionContext, log: vscode.LogOutputChannel) => ExtensionFeature;

export const CLIENT_FEATURES: readonly ExtensionFeatureFactory[] = [
    createBackendClientFeature,
    createModelsFeature,
    (_context, log) => new CompletionClientFeature(log),
    createChatFeature
];
