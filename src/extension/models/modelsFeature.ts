/**
 * Choosing, downloading and deleting models from VS Code. The engine does the work
 * (`apprentice/models/*`); this side shows the picker and the progress, and stores the
 * chosen file in `apprentice.modelPath`, which makes the engine load it.
 */
import * as path from "node:path";
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import {
    ModelsCancelDownloadRequest,
    ModelsDeleteRequest,
    ModelsDownloadProgressNotification,
    ModelsDownloadRequest,
    ModelsListRequest,
    type CatalogItem,
    type DownloadProgress,
    type ModelsList
} from "../../shared/modelsProtocol";
import { Commands } from "../commandIds";
import { selectModelFile } from "../commands";
import { setDefaultModelsFolder } from "../config";
import type { EngineClient } from "../engineClient";
import type { ExtensionFeature } from "../feature";
import { describeItem, describeMachine, describeProgress, formatSize, pickerOrder } from "./format";
import {
    describeDownloadError,
    downloadAndUse,
    useModelFile,
    type FailureChoice,
    type InstallSteps
} from "./installModel";

const ENGINE_START_WAIT_MS = 60_000;

type PickItem = vscode.QuickPickItem & { run?: () => Promise<unknown> };

export function createModelsFeature(
    context: vscode.ExtensionContext,
    log: vscode.LogOutputChannel
): ExtensionFeature {
    setDefaultModelsFolder(path.join(context.globalStorageUri.fsPath, "models"));
    const progressListeners = new Set<(p: DownloadProgress) => void>();
    let engine: EngineClient | undefined;

    /** The running engine's client; while the engine is still starting (a command run right after opening VS Code), waits for it up to a minute. */
    const client = async (): Promise<LanguageClient> => {
        const deadline = Date.now() + ENGINE_START_WAIT_MS;
        for (;;) {
            const running = engine?.languageClient;
            if (running) return running;
            const state = engine?.status.state;
            if ((state !== "starting" && state !== "crashed") || Date.now() > deadline) {
                throw new Error("The Apprentice engine is not running. Restart it and try again.");
            }
            await new Promise((resolve) => setTimeout(resolve, 250));
        }
    };

    /** Stores the model where `apprentice.modelPath` is set now (so a workspace value does not hide it), else in the user settings. */
    const useFile = async (file: string) => {
        const config = vscode.workspace.getConfiguration("apprentice");
        const where = config.inspect<string>("modelPath");
        const target =
            where?.workspaceFolderValue !== undefined
                ? vscode.ConfigurationTarget.WorkspaceFolder
                : where?.workspaceValue !== undefined
                  ? vscode.ConfigurationTarget.Workspace
                  : vscode.ConfigurationTarget.Global;
        await config.update("modelPath", file, target);
        log.info(`Model set to ${file}.`);
    };

    /** An embedding model is never the chat model: it becomes `apprentice.workspaceIndex.embeddingModel` (user settings). */
    const useEmbeddingFile = async (file: string) => {
        await vscode.workspace
            .getConfiguration("apprentice")
            .update("workspaceIndex.embeddingModel", file, vscode.ConfigurationTarget.Global);
        log.info(`Embedding model for @workspace set to ${file}.`);
    };

    const download = async (item: CatalogItem): Promise<string | undefined> => {
        const { entry } = item;
        return vscode.window.withProgress(
            {
                location: vscode.ProgressLocation.Notification,
                title: `Downloading ${entry.name}`,
                cancellable: true
            },
            async (progress, token) => {
                let reported = 0;
                const listener = (p: DownloadProgress) => {
                    if (p.id !== entry.id) return;
                    const fraction = p.totalBytes > 0 ? p.receivedBytes / p.totalBytes : 0;
                    progress.report({
                        message: describeProgress(p),
                        increment: Math.max(0, (fraction - reported) * 100)
                    });
                    reported = Math.max(reported, fraction);
                };
                const languageClient = await client();
                progressListeners.add(listener);
                const cancel = token.onCancellationRequested(() => {
                    void languageClient.sendRequest(ModelsCancelDownloadRequest.type, {
                        id: entry.id
                    });
                });
                try {
                    const result = await languageClient.sendRequest(ModelsDownloadRequest.type, {
                        id: entry.id
                    });
                    log.info(
                        `Downloaded ${entry.name} (${formatSize(result.bytes)}, sha256 ${result.sha256}) to ${result.path} in ${(result.ms / 1000).toFixed(1)} s.`
                    );
                    // Shown so that it can be compared with the checksum on the model card.
                    void vscode.window
                        .showInformationMessage(
                            `Downloaded ${entry.name} (${formatSize(result.bytes)}). Its sha256 is ${result.sha256}; compare it with the model card.`,
                            "Copy sha256"
                        )
                        .then((choice) =>
                            choice ? vscode.env.clipboard.writeText(result.sha256) : undefined
                        );
                    return result.path;
                } catch (error) {
                    // Shown by downloadAndUse, with Retry (which goes through the same steps).
                    const message = describeDownloadError(error);
                    if (message !== undefined) log.error(`Download failed: ${message}`);
                    throw error;
                } finally {
                    cancel.dispose();
                    progressListeners.delete(listener);
                }
            }
        );
    };

    /** Downloading then using a model; a Retry after a failure uses the file where the first try would have. */
    const steps: InstallSteps = {
        download,
        showFailure: (message) =>
            Promise.resolve(
                vscode.window.showErrorMessage(
                    message,
                    "Retry",
                    "Show Log"
                ) as Thenable<FailureChoice>
            ),
        showLog: () => log.show(true),
        useChatModel: useFile,
        useEmbeddingModel: useEmbeddingFile
    };

    /** Downloads a catalog model unless it is installed (`installed`), then uses it where its role says (`settingFor`); returns its file. */
    const install = async (item: CatalogItem, installed?: string): Promise<string | undefined> => {
        if (!installed) return downloadAndUse(item, steps);
        await useModelFile(item.entry, installed, steps);
        return installed;
    };

    const listModels = async (): Promise<ModelsList> =>
        (await client()).sendRequest(ModelsListRequest.type);

    const chooseModel = async () => {
        const list = await listModels();
        const items: PickItem[] = [
            {
                label: `Catalog · for ${describeMachine(list.machine)}`,
                kind: vscode.QuickPickItemKind.Separator
            }
        ];
        for (const item of pickerOrder(list.catalog)) {
            items.push({
                ...describeItem(item),
                run: async () => {
                    if (item.assessment.fit === "tooBig") {
                        const go = await vscode.window.showWarningMessage(
                            `${item.entry.name} needs about ${formatSize(item.assessment.memoryBytes)} of memory, more than this machine can give it. Download anyway?`,
                            { modal: true },
                            "Download"
                        );
                        if (go !== "Download") return;
                    }
                    const installed = list.installed.find((m) => m.catalogId === item.entry.id);
                    await install(item, installed?.path);
                }
            });
        }
        const others = list.installed.filter((m) => !m.catalogId);
        if (others.length > 0) {
            items.push({ label: `In ${list.folder}`, kind: vscode.QuickPickItemKind.Separator });
            for (const model of others)
                items.push({
                    label: `$(check) ${model.fileName}`,
                    description: formatSize(model.sizeBytes),
                    run: () => useFile(model.path)
                });
        }
        items.push(
            { label: "Your own files", kind: vscode.QuickPickItemKind.Separator },
            { label: "$(file) Use a GGUF file from disk…", run: () => selectModelFile() },
            {
                label: "$(folder) Move the models folder…",
                description: list.folder,
                run: () => chooseFolder()
            }
        );
        const picked = await vscode.window.showQuickPick(items, {
            title: "Choose a model",
            // The recommendation's full sentence does not fit here; the ★ items and their details say it.
            placeHolder: list.recommendation.completion
                ? "★ recommended for this machine · type to filter"
                : "No catalog model fits this machine · use a GGUF file of your own",
            matchOnDescription: true,
            matchOnDetail: true
        });
        await picked?.run?.();
    };

    /** The walkthrough's button: download (or reuse) the recommended completion model and use it. Returns its path. */
    const downloadRecommended = async (): Promise<string | undefined> => {
        const list = await listModels();
        const item = list.catalog.find((c) => c.entry.id === list.recommendation.completion);
        if (!item) {
            void vscode.window
                .showWarningMessage(list.recommendation.reason, "Select Model File…")
                .then((choice) => choice && selectModelFile());
            return undefined;
        }
        return install(item, list.installed.find((m) => m.catalogId === item.entry.id)?.path);
    };

    const deleteModel = async () => {
        const list = await listModels();
        const current = engine?.currentSettings.modelPath;
        const items: (vscode.QuickPickItem & { fileName: string; inUse: boolean })[] = [
            ...list.installed.map((m) => ({
                label: `$(file-binary) ${m.fileName}`,
                description: `${formatSize(m.sizeBytes)}${m.path === current ? " · in use" : ""}`,
                fileName: m.fileName,
                inUse: m.path === current
            })),
            ...list.partial.map((p) => ({
                label: `$(warning) ${p.fileName}`,
                description: `${formatSize(p.bytes)} · unfinished download`,
                fileName: p.fileName,
                inUse: false
            }))
        ];
        if (items.length === 0) {
            void vscode.window.showInformationMessage(`No models are installed in ${list.folder}.`);
            return;
        }
        const picked = await vscode.window.showQuickPick(items, {
            title: `Delete a model from ${list.folder}`
        });
        if (!picked) return;
        if (picked.inUse) {
            const choice = await vscode.window.showWarningMessage(
                `${picked.fileName} is the model in use. Choose another model first.`,
                "Choose Model…"
            );
            if (choice) await chooseModel();
            return;
        }
        const confirm = await vscode.window.showWarningMessage(
            `Delete ${picked.fileName}?`,
            { modal: true },
            "Delete"
        );
        if (confirm !== "Delete") return;
        const result = await (
            await client()
        ).sendRequest(ModelsDeleteRequest.type, { fileName: picked.fileName });
        void vscode.window.showInformationMessage(
            `Deleted ${picked.fileName} (${formatSize(result.freedBytes)} freed).`
        );
    };

    const chooseFolder = async () => {
        const picked = await vscode.window.showOpenDialog({
            canSelectFolders: true,
            canSelectFiles: false,
            openLabel: "Keep models here",
            title: "Models folder"
        });
        if (picked?.[0])
            await vscode.workspace
                .getConfiguration("apprentice")
                .update("modelsFolder", picked[0].fsPath, vscode.ConfigurationTarget.Global);
    };

    /** Runs a command; a failure is logged and shown, never thrown at VS Code. Returns the command's result. */
    const guarded =
        <T>(name: string, run: () => Promise<T>) =>
        async (): Promise<T | undefined> => {
            try {
                return await run();
            } catch (error) {
                log.error(`${name}: ${(error as Error).message}`);
                void vscode.window.showErrorMessage((error as Error).message);
                return undefined;
            }
        };

    const disposables = [
        vscode.commands.registerCommand(Commands.chooseModel, guarded("Choose Model", chooseModel)),
        vscode.commands.registerCommand(
            Commands.downloadRecommendedModel,
            guarded("Download Recommended Model", downloadRecommended)
        ),
        vscode.commands.registerCommand(Commands.deleteModel, guarded("Delete Model", deleteModel))
    ];

    return {
        register(languageClient: LanguageClient) {
            languageClient.onNotification(ModelsDownloadProgressNotification.type, (p) => {
                for (const listener of progressListeners) listener(p);
            });
        },
        activate(started: EngineClient) {
            engine = started;
        },
        dispose() {
            for (const d of disposables) d.dispose();
            progressListeners.clear();
        }
    };
}
