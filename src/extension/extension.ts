/** Activation: start the engine client, the status bar and the commands. No model work here. */
import * as vscode from "vscode";
import { registerCommands } from "./commands";
import { EngineClient } from "./engineClient";
import { CompletionClientFeature } from "./completion/completionClientFeature";
import { CLIENT_FEATURES } from "./features";
import { createLog } from "./log";
import { watchForErrors } from "./notifications";
import { StatusBar } from "./statusBar";
import type { ApprenticeApi } from "./api";

let engine: EngineClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<ApprenticeApi> {
    const log = createLog();
    context.subscriptions.push(log);
    const features = CLIENT_FEATURES.map((create) => create(context, log));
    engine = new EngineClient(context.asAbsolutePath("dist/engine.js"), log, features);
    context.subscriptions.push(
        new StatusBar(engine),
        watchForErrors(engine, log),
        ...registerCommands(engine, log),
        ...features
    );
    for (const feature of features) feature.activate?.(engine);
    void engine.start();
    const current = engine;
    const completion = features.find((f): f is CompletionClientFeature => f instanceof CompletionClientFeature);
    return {
        get status() { return current.status; },
        onDidChangeStatus: current.onDidChangeStatus,
        get enginePid() { return current.pid; },
        completion: completion && { onDidProvide: completion.onDidProvide }
    };
}

export async function deactivate(): Promise<void> {
    await engine?.dispose();
    engine = undefined;
}
