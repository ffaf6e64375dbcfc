/**
 * "Enable CUDA Acceleration": offered (status bar hover, command palette) when the engine sees an
 * NVIDIA GPU and no CUDA build. The engine downloads it (`apprentice/cuda/install`) with progress
 * and cancel into the extension's global storage; then the engine is restarted to use it.
 */
import * as path from "node:path";
import * as vscode from "vscode";
import { ResponseError } from "vscode-languageclient/node";
import {
    CudaCancelRequest,
    CudaInstallRequest,
    CudaProgressNotification,
    type CudaProgress
} from "../../shared/accelerationProtocol";
import { Commands } from "../commandIds";
import type { EngineClient } from "../engineClient";
import type { ExtensionFeature } from "../feature";

/** Context key that shows the command in the palette while the offer stands. */
const OFFER_CONTEXT = "apprentice.cudaOffer";

/** Where downloaded binary packages live: `<global storage>/binaries`. */
export function binariesFolder(context: vscode.ExtensionContext): string {
    return path.join(context.globalStorageUri.fsPath, "binaries");
}

function mb(bytes: number): string {
    return `${(bytes / 1e6).toFixed(0)} MB`;
}

export function createCudaFeature(
    _context: vscode.ExtensionContext,
    log: vscode.LogOutputChannel
): ExtensionFeature {
    const disposables: vscode.Disposable[] = [];
    let engine: EngineClient | undefined;
    const listeners = new Set<(p: CudaProgress) => void>();

    const enable = async (): Promise<boolean> => {
        const client = engine?.languageClient;
        if (!client) {
            void vscode.window.showErrorMessage(
                "The Apprentice engine is not running. Restart it and try again."
            );
            return false;
        }
        const start = "Download";
        const answer = await vscode.window.showInformationMessage(
            "Enable CUDA acceleration?",
            {
                modal: true,
                detail: "Apprentice will download NVIDIA's CUDA build of llama.cpp (about 320 MB) from the npm registry (registry.npmjs.org), check it against the registry's published hash, and keep it in the extension's storage. The engine restarts to use it. No code is sent anywhere."
            },
            start
        );
        if (answer !== start) return false;
        try {
            await vscode.window.withProgress(
                {
                    location: vscode.ProgressLocation.Notification,
                    title: "Downloading the CUDA build",
                    cancellable: true
                },
                async (progress, token) => {
                    let reported = 0;
                    const listener = (p: CudaProgress) => {
                        const fraction =
                            p.totalBytes > 0
                                ? (p.index - 1 + p.receivedBytes / p.totalBytes) / p.count
                                : 0;
                        progress.report({
                            message: `${p.package} (${p.index} of ${p.count}): ${mb(p.receivedBytes)} of ${mb(p.totalBytes)}`,
                            increment: Math.max(0, (fraction - reported) * 100)
                        });
                        reported = Math.max(reported, fraction);
                    };
                    listeners.add(listener);
                    const cancel = token.onCancellationRequested(
                        () => void client.sendRequest(CudaCancelRequest.type).catch(() => undefined)
                    );
                    try {
                        await client.sendRequest(CudaInstallRequest.type);
                    } finally {
                        cancel.dispose();
                        listeners.delete(listener);
                    }
                }
            );
        } catch (error) {
            const data =
                error instanceof ResponseError
                    ? (error.data as { code?: string; action?: string } | undefined)
                    : undefined;
            if (data?.code === "cancelled") {
                void vscode.window.showInformationMessage(
                    "The CUDA download was cancelled; nothing was changed."
                );
                return false;
            }
            const message = error instanceof Error ? error.message : String(error);
            log.error(`CUDA download failed: ${message}`);
            void vscode.window.showErrorMessage(
                `${message}${data?.action ? ` ${data.action}` : ""}`
            );
            return false;
        }
        log.info("CUDA build installed; restarting the engine to use it.");
        await vscode.commands.executeCommand(Commands.restartEngine);
        return true;
    };

    disposables.push(vscode.commands.registerCommand(Commands.enableCuda, enable));
    return {
        register(languageClient) {
            languageClient.onNotification(CudaProgressNotification.type, (p) => {
                for (const listener of listeners) listener(p);
            });
        },
        activate(started) {
            engine = started;
            const update = () => {
                const status = started.status;
                void vscode.commands.executeCommand(
                    "setContext",
                    OFFER_CONTEXT,
                    status.state === "ready" && status.model.cudaOffer === true
                );
            };
            update();
            disposables.push(started.onDidChangeStatus(update));
        },
        dispose() {
            for (const d of disposables) d.dispose();
        }
    };
}
