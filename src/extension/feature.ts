/** What an extension feature (inline completion, chat, …) is; the list of them is in features.ts. */
import type * as vscode from "vscode";
import type { ApprenticeApi } from "./api";
import type { ClientFeature, EngineClient } from "./engineClient";

export interface ExtensionFeature extends ClientFeature, vscode.Disposable {
    /** Called once the engine client exists. */
    activate?(engine: EngineClient): void;
    /** Called at deactivation: write what must not be lost (pending saves). */
    flush?(): Promise<void>;
    /** Parts of the ApprenticeApi this feature provides. */
    readonly api?: Partial<ApprenticeApi>;
}

export type ExtensionFeatureFactory = (context: vscode.ExtensionContext, log: vscode.LogOutputChannel) => ExtensionFeature;
