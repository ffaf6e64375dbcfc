/**
 * "Generate Commit Message" (the sparkle in the Source Control title bar): asks the chat model for
 * a message from the staged changes (or, with nothing staged, the working tree's) and streams it
 * into the repository's input box. Secret files' sections are left out of the diff.
 * It runs on the engine's one chat sequence, so it stops a chat answer that is being written.
 */
import * as vscode from "vscode";
import {
    ChatSendRequest,
    ChatStopRequest,
    type ChatProgressParams
} from "../../shared/chatProtocol";
import { SecretFileMatcher } from "../../shared/secretFiles";
import { readSecretFilePatterns } from "../config";
import type { EngineClient } from "../engineClient";
import { withoutSecretFiles } from "../mentions/diffFilter";
import {
    currentRepository,
    gitRepositories,
    NoGitError,
    type GitRepository
} from "../mentions/gitChanges";
import {
    cleanCommitMessage,
    COMMIT_SYSTEM_PROMPT,
    commitRequestText,
    MAX_DIFF_CHARS
} from "./commitPrompt";

export interface CommitMessageResult {
    message: string;
    /** How many times the input box was updated while the answer streamed. */
    updates: number;
}

let counter = 0;

export class CommitMessageGenerator implements vscode.Disposable {
    private engine: EngineClient | undefined;
    private readonly listeners = new Map<string, (params: ChatProgressParams) => void>();
    private running: { turnId: string; cancel: vscode.CancellationTokenSource } | undefined;

    constructor(private readonly log: vscode.LogOutputChannel) {}

    attachEngine(engine: EngineClient): void {
        this.engine = engine;
    }

    /** A progress notification of any chat turn; the ones of a commit message turn are taken here. */
    onProgress(params: ChatProgressParams): boolean {
        const listener = this.listeners.get(params.turnId);
        listener?.(params);
        return listener !== undefined;
    }

    /** The command: `scm/title` passes the source control (with its rootUri). */
    async command(sourceControl?: {
        rootUri?: vscode.Uri;
    }): Promise<CommitMessageResult | undefined> {
        try {
            return await vscode.window.withProgress(
                {
                    location: vscode.ProgressLocation.SourceControl,
                    title: "Generating a commit message…"
                },
                () => this.generate(sourceControl?.rootUri)
            );
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            if (!(error instanceof NoGitError))
                this.log.warn(`Generate Commit Message: ${message}`);
            void vscode.window.showWarningMessage(`Apprentice: ${message}`);
            return undefined;
        }
    }

    async generate(rootUri?: vscode.Uri): Promise<CommitMessageResult> {
        const client = this.engine?.languageClient;
        if (!client || this.engine?.status.state !== "ready")
            throw new Error("The model is not ready. Choose a model first, then try again.");
        const repository = await this.repository(rootUri);
        let diff = await repository.diff(true);
        if (diff.trim().length === 0) diff = await repository.diff(false);
        if (diff.trim().length === 0) throw new NoGitError("There are no changes to describe.");
        const secrets = new SecretFileMatcher(readSecretFilePatterns());
        const filtered = withoutSecretFiles(diff, (p) => secrets.isSecret(p));
        if (filtered.diff.trim().length === 0)
            throw new NoGitError(
                `Only files that may hold secrets changed (${filtered.leftOut.join(", ")}); no message was generated.`
            );
        const text =
            filtered.diff.length > MAX_DIFF_CHARS
                ? `${filtered.diff.slice(0, MAX_DIFF_CHARS)}\n… (diff cut)`
                : filtered.diff;

        this.stop();
        const turnId = `commit-${Date.now().toString(36)}-${(++counter).toString(36)}`;
        const cancel = new vscode.CancellationTokenSource();
        this.running = { turnId, cancel };
        let streamed = "";
        let updates = 0;
        this.listeners.set(turnId, (params) => {
            if (params.part !== "text") return;
            streamed += params.text;
            const shown = cleanCommitMessage(streamed);
            if (shown && shown !== repository.inputBox.value) {
                repository.inputBox.value = shown;
                updates++;
            }
        });
        try {
            const result = await client.sendRequest(
                ChatSendRequest.type,
                {
                    turnId,
                    system: COMMIT_SYSTEM_PROMPT,
                    maxTokens: 160,
                    messages: [
                        {
                            role: "user",
                            text: commitRequestText(filtered.leftOut),
                            attachments: [{ name: "git diff", languageId: "diff", text }]
                        }
                    ]
                },
                cancel.token
            );
            const message = cleanCommitMessage(result.text);
            if (message && message !== repository.inputBox.value) {
                repository.inputBox.value = message;
                updates++;
            }
            return { message, updates };
        } finally {
            this.listeners.delete(turnId);
            if (this.running?.turnId === turnId) this.running = undefined;
            cancel.dispose();
        }
    }

    private async repository(rootUri: vscode.Uri | undefined): Promise<GitRepository> {
        if (!rootUri) return currentRepository();
        const found = (await gitRepositories()).find(
            (r) => r.rootUri.toString() === rootUri.toString()
        );
        if (!found) throw new NoGitError(`No git repository is open at ${rootUri.fsPath}.`);
        return found;
    }

    private stop(): void {
        const running = this.running;
        if (!running) return;
        void this.engine?.languageClient
            ?.sendRequest(ChatStopRequest.type, { turnId: running.turnId })
            .catch(() => running.cancel.cancel());
    }

    dispose(): void {
        this.stop();
        this.running?.cancel.cancel();
    }
}
