/** What an extension feature (inline completion, chat, …) is; the list of them is in features.ts. */
import type * as vscode from "vscode";
import type { ApprenticeApi } from "./api";
import type { ClientFeature, EngineClient } from "./engineClient";
import type { StatusMenuSection } from "./statusMenu";

export interface ExtensionFeature extends ClientFeature, vscode.Disposable {
    /** Called once the engine client exists. */
    activate?(engine: EngineClient): void;
    /** Called at deactivation: write what must not be lost (pending saves). */
    flush?(): Promise<void>;
    /** The feature's part of the status bar menu (its state and its commands). */
    readonly statusMenu?: StatusMenuSection;
    /** Parts of the ApprenticeApi this feature provides. */
    readonly api?: Partial<ApprenticeApi>;
}

export type ExtensionFeatureFactory = (context: vscode.ExtensionContext, log: vscode.LogOutputChannel) => ExtensionFeature;
