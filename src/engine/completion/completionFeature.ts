/**
 * The engine's inline completion over LSP: serves 3.18 `textDocument/inlineCompletion` over the
 * synced documents, `apprentice/completion/stats` and `apprentice/completion/prefetch`, and feeds
 * the pipeline (completionPipeline.ts: window → cache → context → generate → post-process → answer).
 * The client's cancellation aborts the request; a model or backend change forgets what was computed.
 */
import { InlineCompletionTriggerKind } from "vscode-languageserver";
import {
    CompletionPrefetchNotification,
    CompletionStatsRequest,
    normalizeCompletionOptions,
    type ApprenticeInlineCompletionParams
} from "../../shared/completionProtocol";
import type { EngineFeature, FeatureContext } from "../feature";
import { CompletionPipeline } from "./completionPipeline";

export function createCompletionFeature({
    connection,
    documents,
    documentHealth,
    host,
    inference,
    log
}: FeatureContext): EngineFeature {
    const pipeline = new CompletionPipeline({
        documents,
        health: documentHealth,
        inference: () => inference.current,
        local: () => ({
            fimSupported: inference.local.completion.fimSupported,
            peaks: inference.local.completion.peaks
        }),
        log
    });
    // Answers of one backend are not answers of another: forget them when the backend changes.
    let backendKey = `${inference.status.kind} ${inference.status.host ?? ""}`;
    const remember = (uri: string) => {
        const document = documents.get(uri);
        if (document && documentHealth.usable(uri))
            pipeline.chunks.remember(uri, () => document.getText());
    };
    const subscriptions = [
        host.onDidChangeModel(() => pipeline.reset()),
        inference.onDidChangeStatus((status) => {
            const key = `${status.kind} ${status.host ?? ""}`;
            if (key === backendKey) return;
            backendKey = key;
            pipeline.reset();
        }),
        documents.onDidOpen((e) => remember(e.document.uri)),
        documents.onDidChangeContent((e) => remember(e.document.uri)),
        documents.onDidSave((e) => remember(e.document.uri)),
        documents.onDidClose((e) => pipeline.chunks.forget(e.document.uri)),
        connection.onRequest(CompletionStatsRequest.type, () => pipeline.statsSnapshot()),
        connection.onNotification(CompletionPrefetchNotification.type, (params) =>
            pipeline.prefetch(params)
        ),
        connection.languages.inlineCompletion.on(async (params, token) => {
            const abort = new AbortController();
            const cancel = token.onCancellationRequested(() => abort.abort());
            try {
                return await pipeline.provide(
                    {
                        uri: params.textDocument.uri,
                        position: params.position,
                        automatic:
                            params.context.triggerKind === InlineCompletionTriggerKind.Automatic,
                        options: normalizeCompletionOptions(
                            (params as ApprenticeInlineCompletionParams).apprentice
                        ),
                        started: performance.now(),
                        signal: abort.signal
                    },
                    abort,
                    () => token.isCancellationRequested
                );
            } finally {
                cancel.dispose();
            }
        })
    ];

    return {
        capabilities: { inlineCompletionProvider: true },
        methods: [CompletionStatsRequest.method, CompletionPrefetchNotification.method],
        dispose() {
            pipeline.dispose();
            for (const s of subscriptions) s.dispose();
        }
    };
}
