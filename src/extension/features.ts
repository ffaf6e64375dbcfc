/** The extension's features (inline completion, chat, …), created at activation. Add new areas here. */
import type * as vscode from "vscode";
import { CompletionClientFeature } from "./completion/completionClientFeature";
import type { ClientFeature, EngineClient } from "./engineClient";
import { createModelsFeature } from "./models/modelsFeature";

export interface ExtensionFeature extends ClientFeature, vscode.Disposable {
    /** Called once the engine client exists. */
    activate?(engine: EngineClient): void;
}

export type ExtensionFeatureFactory = (context: vscode.ExtensionContext, log: vscode.LogOutputChannel) => ExtensionFeature;

export const CLIENT_FEATURES: readonly ExtensionFeatureFactory[] = [
    (_context, log) => new CompletionClientFeature(log),
    createModelsFeature
];
