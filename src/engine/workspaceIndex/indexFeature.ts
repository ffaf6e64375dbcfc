/**
 * The workspace index feature: `apprentice/workspaceIndex/configure` starts (or stops) the index,
 * `workspace/didChangeWatchedFiles` updates it, `apprentice/workspaceIndex/search` answers
 * `@workspace` questions, and `apprentice/workspaceIndex/progress` tells the client how far it is.
 */
import { fileURLToPath } from "node:url";
import { ResponseError } from "vscode-languageserver";
import { INVALID_PARAMS } from "../../shared/protocolErrors";
import {
    validateConfigureParams,
    WorkspaceIndexConfigureNotification,
    WorkspaceIndexProgressNotification,
    WORKSPACE_RETRIEVERS,
    WorkspaceSearchRequest,
    type WorkspaceSearchResult
} from "../../shared/workspaceIndexProtocol";
import type { EngineFeature, FeatureContext } from "../feature";
import { LlamaEmbedder, type Embedder } from "./embedder";
import { WorkspaceIndex } from "./workspaceIndex";

const MAX_LIMIT = 50;
const MAX_QUERY_CHARS = 10_000;

export function createWorkspaceIndexFeature({
    connection,
    documents,
    documentHealth,
    host,
    log
}: FeatureContext): EngineFeature {
    let lastEdit = -Infinity;
    const editSubscription = documents.onDidChangeContent(() => {
        lastEdit = performance.now();
    });
    const index = new WorkspaceIndex({
        isSecret: (file) => documentHealth.skipReason(file) === "secret",
        onProgress: (progress) =>
            void connection.sendNotification(WorkspaceIndexProgressNotification.type, progress),
        lastEdit: () => lastEdit,
        // A keystroke's completion goes first: indexing waits while one runs or waits for the model.
        completionBusy: () => host.loaded?.completionScheduler.busy ?? false,
        log
    });

    // The embedding model: loaded when the user names one, replaced when they name another.
    let embedderPath = "";
    let embedder: Promise<Embedder | undefined> = Promise.resolve(undefined);
    const useEmbeddingModel = (modelPath: string) => {
        if (modelPath === embedderPath) return;
        embedderPath = modelPath;
        const previous = embedder;
        embedder = previous.then(async (old) => {
            await index.setEmbedder(undefined);
            await old?.dispose();
            if (!modelPath) return undefined;
            try {
                const loaded = await LlamaEmbedder.load((await host.runtime).llama, modelPath);
                log.info(`Workspace index: embeddings from ${modelPath}.`);
                void index.setEmbedder(loaded);
                return loaded;
            } catch (error) {
                log.warn(
                    `${error instanceof Error ? error.message : String(error)} The workspace index searches by words only.`
                );
                return undefined;
            }
        });
    };

    connection.onNotification(WorkspaceIndexConfigureNotification.type, (params) => {
        const invalid = validateConfigureParams(params);
        if (invalid) {
            log.warn(
                `Ignored an invalid ${WorkspaceIndexConfigureNotification.method}: ${invalid}.`
            );
            return;
        }
        if (!params.enabled || params.folders.length === 0) {
            useEmbeddingModel("");
            void index.turnOff();
            return;
        }
        void index.configure({
            folders: params.folders,
            exclude: params.exclude,
            storageFolder: params.storageFolder
        });
        useEmbeddingModel(params.embeddingModel?.trim() ?? "");
    });

    connection.onDidChangeWatchedFiles((params) => {
        const paths: string[] = [];
        for (const change of params.changes ?? []) {
            if (typeof change?.uri !== "string" || !change.uri.startsWith("file:")) continue;
            try {
                paths.push(fileURLToPath(change.uri));
            } catch {
                /* not a local file */
            }
        }
        index.filesChanged(paths);
    });

    connection.onRequest(
        WorkspaceSearchRequest.type,
        async (params): Promise<WorkspaceSearchResult> => {
            if (typeof params?.query !== "string" || params.query.length > MAX_QUERY_CHARS)
                throw new ResponseError(
                    INVALID_PARAMS,
                    `query must be a string of at most ${MAX_QUERY_CHARS} characters.`,
                    { code: "badRequest", action: "Ask a shorter question." }
                );
            const limit = Math.min(
                MAX_LIMIT,
                Math.max(1, Math.round(Number(params.limit ?? 8)) || 8)
            );
            const maxTokens = Math.max(50, Math.round(Number(params.maxTokens ?? 1500)) || 1500);
            const asked = Array.isArray(params.retrievers)
                ? WORKSPACE_RETRIEVERS.filter((r) => params.retrievers!.includes(r))
                : WORKSPACE_RETRIEVERS;
            const use = index.retrievers.filter((r) => asked.includes(r));
            const hits =
                index.state === "off"
                    ? []
                    : await index.search(params.query, limit, maxTokens, use);
            return {
                state: index.state,
                retrievers: use,
                chunks: hits.map(({ id: _id, ...chunk }) => chunk)
            };
        }
    );

    return {
        methods: [
            WorkspaceIndexConfigureNotification.method,
            WorkspaceIndexProgressNotification.method,
            WorkspaceSearchRequest.method
        ],
        dispose: async () => {
            editSubscription.dispose();
            await index.dispose();
            await (await embedder.catch(() => undefined))?.dispose();
        }
    };
}
