/**
 * The chat's @-mentions: answers the picker's queries, attaches a chosen item, opens a clicked
 * reference, and at send time turns `@workspace` into the chunks of the workspace index that
 * answer the question (within a share of the model's context), each a chip that opens its lines.
 */
import * as vscode from "vscode";
import type { ChatAttachment } from "../../shared/chatProtocol";
import type { ToWebview } from "../../shared/webviewProtocol";
import {
    WorkspaceSearchRequest,
    type WorkspaceSearchResult
} from "../../shared/workspaceIndexProtocol";
import type { EngineClient } from "../engineClient";
import { MentionError, resolveMention } from "./mentionResolver";
import { MentionSource } from "./mentionSource";

/** Share of the model's context that retrieved chunks may take (the history and the answer need the rest). */
const WORKSPACE_SHARE = 0.35;
const MAX_WORKSPACE_TOKENS = 3000;

export function mentionsWorkspace(text: string, attachments: readonly ChatAttachment[]): boolean {
    return attachments.some((a) => a.kind === "workspace") || /(^|\s)@workspace\b/.test(text);
}

export class MentionController implements vscode.Disposable {
    readonly source = new MentionSource();
    private engine: EngineClient | undefined;

    constructor(
        private readonly post: (message: ToWebview) => void,
        private readonly attach: (attachment: ChatAttachment) => void,
        private readonly log: vscode.LogOutputChannel
    ) {}

    attachEngine(engine: EngineClient): void {
        this.engine = engine;
    }

    async query(text: string): Promise<void> {
        const items = await this.source.query(text);
        this.post({ type: "mentionItems", query: text, items });
    }

    async choose(id: string): Promise<void> {
        try {
            this.attach(await resolveMention(id, this.source));
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            if (!(error instanceof MentionError))
                this.log.warn(`Could not attach ${id}: ${message}`);
            void vscode.window.showWarningMessage(`Apprentice: ${message}`);
        }
    }

    /** Opens a reference chip's file at its first line (local files only). */
    async openReference(uri: string, line: number): Promise<void> {
        const target = vscode.Uri.parse(uri, true);
        if (target.scheme !== "file") {
            this.log.warn(`Chat view: refused to open a non-file reference: ${uri.slice(0, 100)}`);
            return;
        }
        const position = new vscode.Position(Math.max(0, Math.floor(line) - 1), 0);
        await vscode.window.showTextDocument(target, {
            selection: new vscode.Range(position, position),
            preview: true
        });
    }

    /**
     * The message's attachments with `@workspace` replaced by the index's best chunks for the question,
     * and a note when the index had nothing to give.
     */
    async expandWorkspace(
        text: string,
        attachments: readonly ChatAttachment[]
    ): Promise<{ attachments: ChatAttachment[]; note?: string }> {
        const others = attachments.filter((a) => a.kind !== "workspace");
        const client = this.engine?.languageClient;
        if (!client)
            return {
                attachments: others,
                note: "@workspace: the engine is not running, so no workspace code was added."
            };
        const status = this.engine?.status;
        const contextSize = status?.state === "ready" ? status.model.contextSize : 4096;
        const maxTokens = Math.max(
            200,
            Math.min(MAX_WORKSPACE_TOKENS, Math.floor(contextSize * WORKSPACE_SHARE))
        );
        let result: WorkspaceSearchResult;
        try {
            // A small context gets fewer, so that each chunk keeps its shape instead of all being cut short.
            const limit = Math.max(1, Math.min(8, Math.floor(maxTokens / 120)));
            result = await client.sendRequest(WorkspaceSearchRequest.type, {
                query: text,
                limit,
                maxTokens
            });
        } catch (error) {
            this.log.warn(
                `@workspace search failed: ${error instanceof Error ? error.message : String(error)}`
            );
            return {
                attachments: others,
                note: "@workspace: the search failed, so no workspace code was added (see Apprentice: Show Log)."
            };
        }
        const chunks: ChatAttachment[] = result.chunks.map((c) => ({
            name: c.relativePath,
            languageId: c.languageId,
            text: c.text,
            startLine: c.startLine,
            endLine: c.endLine,
            uri: vscode.Uri.file(c.path).toString(),
            kind: "file"
        }));
        const note =
            result.state === "off"
                ? "@workspace: the workspace index is turned off (apprentice.workspaceIndex.enabled), so no workspace code was added."
                : chunks.length === 0
                  ? result.state === "building"
                      ? "@workspace: the workspace index is still being built and found nothing yet."
                      : "@workspace: nothing in the workspace index matched the question."
                  : result.state === "building"
                    ? "@workspace: the workspace index is still being built; the answer may miss files."
                    : undefined;
        return { attachments: [...others, ...chunks], ...(note ? { note } : {}) };
    }

    dispose(): void {
        this.source.dispose();
    }
}
