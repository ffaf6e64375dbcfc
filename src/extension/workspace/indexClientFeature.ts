/**
 * The extension's side of the workspace index: tells the engine which folders to index and where
 * to keep the index (the workspace storage), forwards file changes from a file watcher as
 * `workspace/didChangeWatchedFiles`, shows the first build's progress, and searches for `@workspace`.
 */
import * as vscode from "vscode";
import {
    DidChangeWatchedFilesNotification,
    FileChangeType,
    type FileEvent
} from "vscode-languageclient/node";
import {
    INDEX_OFF,
    WorkspaceIndexConfigureNotification,
    WorkspaceIndexProgressNotification,
    WorkspaceSearchRequest,
    type WorkspaceIndexConfigureParams,
    type WorkspaceIndexProgress,
    type WorkspaceSearchResult
} from "../../shared/workspaceIndexProtocol";
import type { WorkspaceIndexApi } from "../api";
import { resolveModelPath } from "../config";
import type { EngineClient } from "../engineClient";
import type { ExtensionFeature } from "../feature";
import { IndexProgressNotice } from "./indexProgress";

export const INDEX_SETTING = "apprentice.workspaceIndex.enabled";
export const EMBEDDING_SETTING = "apprentice.workspaceIndex.embeddingModel";
const BATCH_MS = 200;

/** `files.exclude` globs that are on (a `when` clause counts as on: it only ever hides more). */
export function excludedGlobs(): string[] {
    const value = vscode.workspace
        .getConfiguration("files")
        .get<Record<string, unknown>>("exclude", {});
    return Object.entries(value ?? {})
        .filter(([, on]) => on === true || (typeof on === "object" && on !== null))
        .map(([glob]) => glob);
}

export function createWorkspaceIndexFeature(
    context: vscode.ExtensionContext,
    log: vscode.LogOutputChannel
): ExtensionFeature {
    let engine: EngineClient | undefined;
    let progress: WorkspaceIndexProgress = INDEX_OFF;
    const progressEmitter = new vscode.EventEmitter<WorkspaceIndexProgress>();
    const notice = new IndexProgressNotice();
    let pending: FileEvent[] = [];
    let batchTimer: NodeJS.Timeout | undefined;

    const params = (): WorkspaceIndexConfigureParams => ({
        enabled: vscode.workspace.getConfiguration().get<boolean>(INDEX_SETTING, true),
        folders: (vscode.workspace.workspaceFolders ?? [])
            .filter((f) => f.uri.scheme === "file")
            .map((f) => f.uri.fsPath),
        storageFolder: context.storageUri?.fsPath ?? "",
        exclude: excludedGlobs(),
        embeddingModel: resolveModelPath(
            vscode.workspace.getConfiguration().get<string>(EMBEDDING_SETTING, "")
        )
    });
    const configure = () => {
        const client = engine?.languageClient;
        if (!client) return;
        const p = params();
        if (!p.enabled) {
            progress = INDEX_OFF;
            progressEmitter.fire(progress);
            notice.update(progress);
        }
        void client
            .sendNotification(WorkspaceIndexConfigureNotification.type, p)
            .catch((error: unknown) =>
                log.warn(`Could not configure the workspace index: ${String(error)}`)
            );
    };
    const queue = (uri: vscode.Uri, type: FileChangeType) => {
        if (uri.scheme !== "file") return;
        pending.push({ uri: uri.toString(), type });
        batchTimer ??= setTimeout(() => {
            batchTimer = undefined;
            const changes = pending;
            pending = [];
            const client = engine?.languageClient;
            if (client && progress.state !== "off")
                void client
                    .sendNotification(DidChangeWatchedFilesNotification.type, { changes })
                    .catch(() => undefined);
        }, BATCH_MS);
    };
    const watcher = vscode.workspace.createFileSystemWatcher("**/*");
    const disposables: vscode.Disposable[] = [
        progressEmitter,
        notice,
        watcher,
        watcher.onDidCreate((uri) => queue(uri, FileChangeType.Created)),
        watcher.onDidChange((uri) => queue(uri, FileChangeType.Changed)),
        watcher.onDidDelete((uri) => queue(uri, FileChangeType.Deleted)),
        vscode.workspace.onDidChangeWorkspaceFolders(() => configure()),
        vscode.workspace.onDidChangeConfiguration((e) => {
            if (
                e.affectsConfiguration(INDEX_SETTING) ||
                e.affectsConfiguration(EMBEDDING_SETTING) ||
                e.affectsConfiguration("files.exclude") ||
                e.affectsConfiguration("apprentice.secretFilePatterns")
            )
                configure();
        })
    ];

    const search = async (query: string, maxTokens?: number): Promise<WorkspaceSearchResult> => {
        const client = engine?.languageClient;
        if (!client) return { state: "off", chunks: [], retrievers: [] };
        return client.sendRequest(WorkspaceSearchRequest.type, {
            query,
            limit: 8,
            ...(maxTokens ? { maxTokens } : {})
        });
    };
    const api: WorkspaceIndexApi = {
        get progress() {
            return progress;
        },
        onDidProgress: progressEmitter.event,
        search
    };
    return {
        register: (client) => {
            client.onNotification(WorkspaceIndexProgressNotification.type, (p) => {
                progress = p;
                progressEmitter.fire(p);
                notice.update(p);
                if (p.state === "error" && p.message) log.warn(p.message);
            });
        },
        activate: (client) => {
            engine = client;
            disposables.push(
                client.onDidChangeClient((c) => {
                    if (c) configure();
                    else {
                        progress = INDEX_OFF;
                        notice.update(progress);
                    }
                })
            );
            configure();
        },
        api: { workspaceIndex: api },
        dispose: () => {
            if (batchTimer) clearTimeout(batchTimer);
            for (const d of disposables.splice(0).reverse()) d.dispose();
        }
    };
}
