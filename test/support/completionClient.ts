/** Inline completion over real JSON-RPC: open/change documents and ask the engine for completions. */
import {
    CancellationTokenSource,
    type CancellationToken
} from "vscode-languageserver-protocol/node";
import {
    CompletionStatsRequest,
    type ApprenticeInlineCompletionList,
    type CompletionOptions,
    type EngineCompletionStats
} from "../../src/shared/completionProtocol";
import type { EngineProcess } from "./engineProcess";

export class CompletionClient {
    private versions = new Map<string, number>();
    private texts = new Map<string, string>();

    constructor(private readonly engine: EngineProcess) {}

    async open(uri: string, text: string, languageId = "typescript"): Promise<void> {
        this.versions.set(uri, 1);
        this.texts.set(uri, text);
        await this.engine.connection.sendNotification("textDocument/didOpen", {
            textDocument: { uri, languageId, version: 1, text }
        });
    }

    /** Replaces the whole text (full sync is accepted by an incremental server). */
    async change(uri: string, text: string): Promise<void> {
        const version = (this.versions.get(uri) ?? 1) + 1;
        this.versions.set(uri, version);
        this.texts.set(uri, text);
        await this.engine.connection.sendNotification("textDocument/didChange", {
            textDocument: { uri, version },
            contentChanges: [{ text }]
        });
    }

    text(uri: string): string {
        return this.texts.get(uri) ?? "";
    }

    complete(
        uri: string,
        position: { line: number; character: number },
        options: Partial<CompletionOptions> = {},
        invoked = false,
        token?: CancellationToken
    ): Promise<ApprenticeInlineCompletionList> {
        return this.engine.connection.sendRequest(
            "textDocument/inlineCompletion",
            {
                textDocument: { uri },
                position,
                context: { triggerKind: invoked ? 1 : 2 },
                apprentice: options
            },
            token ?? new CancellationTokenSource().token
        ) as Promise<ApprenticeInlineCompletionList>;
    }

    stats(): Promise<EngineCompletionStats> {
        return this.engine.connection.sendRequest(CompletionStatsRequest.type);
    }
}

/** Line and character of the end of `text` (the cursor after typing it). */
export function endOf(text: string): { line: number; character: number } {
    const lines = text.split("\n");
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
}
