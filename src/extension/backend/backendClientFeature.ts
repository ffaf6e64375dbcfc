/**
 * The extension side of remote backends: sends `apprentice/backend/configure` (settings + the API key
 * from secret storage) to each engine it starts and on every change, asks before plain http to another
 * machine, shows where code goes, and offers "Set Backend API Key" and "Check Backend Connection".
 */
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { DEFAULT_BACKEND } from "../../shared/backend";
import {
    BackendCheckRequest,
    BackendConfigureNotification,
    BackendStatusNotification,
    type BackendConfiguration,
    type BackendStatus
} from "../../shared/backendProtocol";
import { Commands } from "../commandIds";
import type { EngineClient } from "../engineClient";
import type { ExtensionFeature, ExtensionFeatureFactory } from "../feature";
import { ApiKeyStore } from "./apiKeyStore";
import { BACKEND_SECTION, readBackendSettings } from "./backendConfig";
import { BackendStatusItem } from "./backendStatusItem";
import { confirmInsecure } from "./insecureConsent";

export const createBackendClientFeature: ExtensionFeatureFactory = (
    context,
    log
): ExtensionFeature => {
    const keys = new ApiKeyStore(context.secrets);
    const item = new BackendStatusItem();
    let engine: EngineClient | undefined;
    let status: BackendStatus = { kind: "local", health: "local", usingFallback: false };

    const configuration = async (): Promise<BackendConfiguration> => {
        const settings = readBackendSettings();
        if (settings.kind === "local") return { settings };
        if (!(await confirmInsecure(settings.url, context.globalState))) {
            log.warn(
                `Backend ${settings.url} not used: plain http to another machine was not confirmed. Using the local model.`
            );
            return { settings: DEFAULT_BACKEND };
        }
        return { settings, apiKey: await keys.get() };
    };

    const send = async (client: LanguageClient | undefined = engine?.languageClient) => {
        if (!client) return;
        const message = await configuration();
        await client.sendNotification(BackendConfigureNotification.type, message);
    };

    const disposables: vscode.Disposable[] = [
        item,
        vscode.workspace.onDidChangeConfiguration((e) => {
            if (e.affectsConfiguration(BACKEND_SECTION)) void send();
        }),
        keys.onDidChange(() => void send()),
        vscode.commands.registerCommand(Commands.setBackendApiKey, () => keys.prompt()),
        vscode.commands.registerCommand(Commands.checkBackend, async () => {
            const client = engine?.languageClient;
            if (!client)
                return void vscode.window.showWarningMessage(
                    "Apprentice: the engine is not running."
                );
            const result = await client.sendRequest(BackendCheckRequest.type);
            const s = result.status;
            if (s.kind === "local")
                return void vscode.window.showInformationMessage(
                    "Apprentice uses the local model; no code leaves this machine."
                );
            if (s.health === "ok")
                return void vscode.window.showInformationMessage(
                    `Apprentice: ${s.host} answers (models: ${result.models.join(", ") || "none listed"}). Code is sent there.`
                );
            void vscode.window
                .showErrorMessage(
                    `Apprentice: ${s.message ?? `${s.host} does not answer.`}`,
                    "Set Backend API Key",
                    "Open Settings"
                )
                .then((choice) => {
                    if (choice === "Set Backend API Key") void keys.prompt();
                    if (choice === "Open Settings")
                        void vscode.commands.executeCommand(
                            "workbench.action.openSettings",
                            BACKEND_SECTION
                        );
                });
        })
    ];

    return {
        register(languageClient: LanguageClient) {
            languageClient.onNotification(BackendStatusNotification.type, (next) => {
                if (next.usingFallback && !status.usingFallback) {
                    void vscode.window.showWarningMessage(
                        `Apprentice: ${next.host} cannot be reached; the local model answers until it is back.`
                    );
                }
                status = next;
                item.update(next);
            });
        },
        activate(started: EngineClient) {
            engine = started;
            disposables.push(
                started.onDidChangeClient((languageClient) => {
                    if (languageClient) void send(languageClient);
                    else item.update({ kind: "local", health: "local", usingFallback: false });
                })
            );
            if (started.languageClient) void send(started.languageClient);
        },
        dispose() {
            for (const d of disposables.splice(0)) d.dispose();
        }
    };
};
