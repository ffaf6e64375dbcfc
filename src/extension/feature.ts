/**
 * What an extension feature (inline completion, chat, …) is; the list of them is in features.ts.
 * Its life, in order:
 *   1. created at activation by its factory (commands, views, settings listeners);
 *   2. `activate(engine)` once: the EngineClient, which outlives engine restarts (status, requests);
 *   3. `register(languageClient)` with each new LanguageClient, before it starts (notification handlers);
 *      `middleware` is composed with the other features' (middleware.ts: chained, never overwritten);
 *   4. `flush()` at deactivation (pending saves), then `dispose()`.
 * "engine" names the EngineClient; "languageClient" (or "client") only ever the vscode-languageclient
 * connection, never the EngineClient.
 */
import type * as vscode from "vscode";
import type { ApprenticeApi } from "./api";
import type { EngineClient, LanguageClientHooks } from "./engineClient";
import type { StatusMenuSection } from "./statusMenu";

export interface ExtensionFeature extends LanguageClientHooks, vscode.Disposable {
    /** Called once the engine client exists. */
    activate?(engine: EngineClient): void;
    /** Called at deactivation: write what must not be lost (pending saves). */
    flush?(): Promise<void>;
    /** The feature's part of the status bar menu (its state and its commands). */
    readonly statusMenu?: StatusMenuSection;
    /** Parts of the ApprenticeApi this feature provides (joined by featureApi.ts: a member two features provide is an error). */
    readonly api?: Partial<ApprenticeApi>;
}

export type ExtensionFeatureFactory = (
    context: vscode.ExtensionContext,
    log: vscode.LogOutputChannel
) => ExtensionFeature;
