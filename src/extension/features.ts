/** The extension's features (inline completion, chat, …), created at activation. Add new areas here. */
import type * as vscode from "vscode";
import { createBackendClientFeature } from "./backend/backendClientFeature";
import type { ClientFeature, EngineClient } from "./engineClient";

export interface ExtensionFeature extends ClientFeature, vscode.Disposable {
    /** Called once the engine client exists. */
    activate?(engine: EngineClient): void;
}

export type ExtensionFeatureFactory = (context: vscode.ExtensionContext, log: vscode.LogOutputChannel) => ExtensionFeature;

export const CLIENT_FEATURES: readonly ExtensionFeatureFactory[] = [createBackendClientFeature];
