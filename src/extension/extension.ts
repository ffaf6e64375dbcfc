/** Activation: start the engine client, the status bar and the commands. No model work here. */
import * as vscode from "vscode";
import { binariesFolder } from "./acceleration/cudaFeature";
import { registerCommands } from "./commands";
import { EngineClient } from "./engineClient";
import { composeApi } from "./featureApi";
import { CLIENT_FEATURES } from "./features";
import { createLog } from "./log";
import { watchForErrors } from "./notifications";
import { StatusBar } from "./statusBar";
import { statusMenuItems } from "./statusMenu";
import type { ApprenticeApi } from "./api";

let engine: EngineClient | undefined;
let flushFeatures: (() => Promise<unknown>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<ApprenticeApi> {
    const log = createLog();
    context.subscriptions.push(log);
    const features = CLIENT_FEATURES.map((create) => create(context, log));
    flushFeatures = () => Promise.allSettled(features.map((f) => f.flush?.()));
    engine = new EngineClient(
        context.asAbsolutePath("dist/engine.js"),
        log,
        features,
        binariesFolder(context)
    );
    const menuSections = features.flatMap((f) => (f.statusMenu ? [f.statusMenu] : []));
    context.subscriptions.push(
        new StatusBar(engine),
        watchForErrors(engine, log),
        ...registerCommands(engine, log, menuSections),
        ...features
    );
    for (const feature of features) feature.activate?.(engine);
    void engine.start();
    const current = engine;
    const api: ApprenticeApi = {
        get status() {
            return current.status;
        },
        onDidChangeStatus: current.onDidChangeStatus,
        get enginePid() {
            return current.pid;
        },
        statusMenu: { items: () => statusMenuItems(current.status, menuSections) }
    };
    return composeApi(
        api,
        features.map((f) => f.api)
    );
}

export async function deactivate(): Promise<void> {
    await Promise.all([flushFeatures?.(), engine?.dispose()]);
    flushFeatures = undefined;
    engine = undefined;
}
