/**
 * The extension's side of a chat: the active conversation, the attached code, and the running
 * turn. Sends turns to the engine (`apprentice/chat/send`), forwards the streamed pieces to the
 * webview, saves every turn, and turns engine failures into visible, retryable turns.
 */
import * as vscode from "vscode";
import { ResponseError } from "vscode-languageclient/node";
import {
    ChatPrepareNotification,
    ChatSendRequest,
    ChatStopRequest,
    type ChatAttachment,
    type ChatErrorData,
    type ChatMessage,
    type ChatProgressParams
} from "../../shared/chatProtocol";
import { isRequestCancelled } from "../../shared/protocolErrors";
import type { ModelLine, ToWebview, TurnView } from "../../shared/webviewProtocol";
import type { ClientStatus, EngineClient } from "../engineClient";
import { MentionController, mentionsWorkspace } from "../mentions/mentionController";
import { ConversationStore, type Conversation } from "./conversationStore";

interface RunningTurn {
    turn: TurnView;
    cancel: vscode.CancellationTokenSource;
    done: Promise<TurnView>;
}

let counter = 0;
const newId = (prefix: string) =>
    `${prefix}-${Date.now().toString(36)}-${(++counter).toString(36)}`;

export class ChatSession implements vscode.Disposable {
    private conversation: Conversation;
    private attachments: ChatAttachment[] = [];
    private running: RunningTurn | undefined;
    private engine: EngineClient | undefined;
    private viewVisible = false;
    private readonly postEmitter = new vscode.EventEmitter<ToWebview>();
    private readonly disposables: vscode.Disposable[] = [this.postEmitter];

    /** Every message meant for the webview (the view provider posts them; tests observe them). */
    readonly onDidPost = this.postEmitter.event;
    /** The @-mentions of the input (picker queries, chosen items, `@workspace`). */
    readonly mentions: MentionController;

    constructor(
        private readonly store: ConversationStore,
        private readonly log: vscode.LogOutputChannel
    ) {
        this.conversation = this.latestConversation();
        this.mentions = new MentionController(
            (m) => this.post(m),
            (a) => this.addAttachment(a),
            log
        );
        this.disposables.push(this.mentions);
    }

    /** The stored conversations were (re)read: show the most recent one, unless an answer is running. */
    historyLoaded(): void {
        if (this.running) return;
        this.conversation = this.latestConversation();
        this.post(this.conversationMessage());
    }

    private latestConversation(): Conversation {
        const conversation = this.store.all()[0] ?? this.emptyConversation();
        // A turn still streaming when the window closed was cut off: say so, and offer Retry.
        for (const turn of conversation.turns) {
            if (turn.state === "streaming") {
                turn.state = "interrupted";
                turn.error =
                    "This answer was cut off when the window closed. Press Retry to ask again.";
            }
        }
        return conversation;
    }

    attachEngine(engine: EngineClient): void {
        this.engine = engine;
        this.mentions.attachEngine(engine);
        this.disposables.push(
            engine.onDidChangeStatus((status) => {
                this.post({ type: "model", model: modelLine(status) });
                if (status.state === "ready") this.prepareEngine();
            }),
            engine.onDidChangeClient((client) => {
                if (!client) this.interrupt();
            })
        );
        this.post({ type: "model", model: modelLine(engine.status) });
    }

    /** The chat view was shown or hidden: while it is visible, the engine is kept ready for a first turn. */
    setViewVisible(visible: boolean): void {
        this.viewVisible = visible;
        if (visible) this.prepareEngine();
    }

    private prepareEngine(): void {
        const client = this.engine?.languageClient;
        if (!this.viewVisible || !client || this.engine?.status.state !== "ready") return;
        void client.sendNotification(ChatPrepareNotification.type).catch(() => undefined);
    }

    /** A streamed piece of the running turn, from the engine. */
    onProgress(params: ChatProgressParams): void {
        const running = this.running;
        if (!running || running.turn.id !== params.turnId) return;
        if (params.part === "thinking")
            running.turn.thinking = (running.turn.thinking ?? "") + params.text;
        else running.turn.text += params.text;
        this.post({ type: "delta", turnId: params.turnId, part: params.part, text: params.text });
    }

    /** Everything the webview needs after it (re)loads. */
    snapshot(showThinking: boolean): ToWebview[] {
        return [
            { type: "settings", showThinking },
            { type: "model", model: modelLine(this.engine?.status ?? { state: "starting" }) },
            this.conversationMessage(),
            { type: "attachments", attachments: this.attachments }
        ];
    }

    get isGenerating(): boolean {
        return this.running !== undefined;
    }

    addAttachment(attachment: ChatAttachment): void {
        // The same range attached twice is one chip.
        this.attachments = this.attachments.filter(
            (a) =>
                !(
                    a.name === attachment.name &&
                    a.startLine === attachment.startLine &&
                    a.endLine === attachment.endLine
                )
        );
        this.attachments.push(attachment);
        this.post({ type: "attachments", attachments: this.attachments });
    }

    removeAttachment(index: number): void {
        this.attachments = this.attachments.filter((_, i) => i !== index);
        this.post({ type: "attachments", attachments: this.attachments });
    }

    /** Sends a user message with the attached code (and, for `@workspace`, the code that answers it); resolves with the finished answer turn. */
    async send(text: string): Promise<TurnView> {
        if (this.running) this.stop();
        let attachments = this.attachments;
        this.attachments = [];
        this.post({ type: "attachments", attachments: [] });
        let note: string | undefined;
        if (mentionsWorkspace(text, attachments))
            ({ attachments, note } = await this.mentions.expandWorkspace(text, attachments));
        const user: TurnView = {
            id: newId("u"),
            role: "user",
            text,
            ...(attachments.length ? { attachments } : {})
        };
        this.conversation.turns.push(user);
        if (!this.conversation.title) this.conversation.title = text.slice(0, 60);
        return this.startTurn(user, false, note);
    }

    /** Runs the last user message again (after an error or an engine crash). */
    retry(): Promise<TurnView> | undefined {
        if (this.running) return undefined;
        const turns = this.conversation.turns;
        while (
            turns.length > 0 &&
            turns[turns.length - 1].role === "assistant" &&
            turns[turns.length - 1].state !== "done" &&
            turns[turns.length - 1].state !== "stopped"
        )
            turns.pop();
        const last = turns[turns.length - 1];
        if (!last || last.role !== "user") return undefined;
        return this.startTurn(last, true);
    }

    /** Answers the last question again: its answer (finished or not) is replaced by a new one. */
    regenerate(): Promise<TurnView> | undefined {
        if (this.running) return undefined;
        const turns = this.conversation.turns;
        while (turns.length > 0 && turns[turns.length - 1].role === "assistant") turns.pop();
        const last = turns[turns.length - 1];
        if (!last || last.role !== "user") return undefined;
        return this.startTurn(last, true);
    }

    private startTurn(user: TurnView, retried = false, note?: string): Promise<TurnView> {
        const status = this.engine?.status;
        const model = status?.state === "ready" ? status.model.name : undefined;
        const assistant: TurnView = {
            id: newId("a"),
            role: "assistant",
            text: "",
            state: "streaming",
            ...(model ? { model } : {}),
            ...(note ? { note } : {})
        };
        const messages = toMessages(this.conversation.turns);
        this.conversation.turns.push(assistant);
        this.conversation.updated = Date.now();
        if (retried) this.post(this.conversationMessage());
        else this.post({ type: "turnStarted", user, assistant });
        void this.persist();
        const cancel = new vscode.CancellationTokenSource();
        const done = this.runTurn(assistant, messages, cancel.token);
        this.running = { turn: assistant, cancel, done };
        void vscode.window.withProgress(
            { location: { viewId: "apprentice.chatView" } },
            () => done
        );
        return done;
    }

    private async runTurn(
        turn: TurnView,
        messages: ChatMessage[],
        token: vscode.CancellationToken
    ): Promise<TurnView> {
        const client = this.engine?.languageClient;
        try {
            if (!client) throw new Error(notReadyText(this.engine?.status));
            const result = await client.sendRequest(
                ChatSendRequest.type,
                { turnId: turn.id, messages },
                token
            );
            turn.text = result.text;
            if (result.thinking) turn.thinking = result.thinking;
            if (result.timings.thinkingMs !== undefined)
                turn.thinkingMs = result.timings.thinkingMs;
            turn.timings = result.timings;
            turn.state = result.stopReason === "stopped" ? "stopped" : "done";
            if (result.trimmed)
                turn.note = [turn.note, result.trimmed.message].filter(Boolean).join(" ");
            if (result.stopReason === "maxTokens")
                turn.note = [turn.note, "The answer reached the length limit."]
                    .filter(Boolean)
                    .join(" ");
        } catch (error) {
            if (turn.state !== "interrupted") {
                if (error instanceof ResponseError && isRequestCancelled(error)) {
                    turn.state = "stopped";
                } else {
                    turn.state = "error";
                    turn.error = errorText(error);
                    this.log.warn(`Chat turn failed: ${turn.error}`);
                }
            }
        } finally {
            if (this.running?.turn === turn) this.running = undefined;
        }
        this.conversation.updated = Date.now();
        this.post({ type: "turnEnded", turn: { ...turn } });
        await this.persist();
        return turn;
    }

    stop(): void {
        const running = this.running;
        if (!running) return;
        const client = this.engine?.languageClient;
        if (client)
            void client
                .sendRequest(ChatStopRequest.type, { turnId: running.turn.id })
                .catch(() => running.cancel.cancel());
        else running.cancel.cancel();
    }

    /** The engine went away mid-turn: the turn says so and can be retried. */
    private interrupt(): void {
        const running = this.running;
        if (!running) return;
        running.turn.state = "interrupted";
        running.turn.error =
            "The engine stopped while answering. Press Retry when it is running again.";
        running.cancel.cancel();
    }

    newChat(): void {
        this.stop();
        this.conversation = this.emptyConversation();
        this.post(this.conversationMessage());
    }

    open(id: string): void {
        const found = this.store.get(id);
        if (!found || found.id === this.conversation.id) return;
        this.stop();
        this.conversation = found;
        this.post(this.conversationMessage());
    }

    async delete(id: string): Promise<void> {
        if (id === this.conversation.id) this.stop();
        await this.store.delete(id);
        if (id === this.conversation.id) this.conversation = this.latestConversation();
        this.post(this.conversationMessage());
    }

    private emptyConversation(): Conversation {
        return { id: newId("c"), title: "", updated: Date.now(), turns: [] };
    }

    private conversationMessage(): ToWebview {
        const summaries = this.store.summaries();
        if (!summaries.some((s) => s.id === this.conversation.id))
            summaries.unshift({
                id: this.conversation.id,
                title: this.conversation.title || "New chat",
                updated: this.conversation.updated
            });
        return {
            type: "conversation",
            id: this.conversation.id,
            turns: this.conversation.turns.map((t) => ({ ...t })),
            conversations: summaries
        };
    }

    private async persist(): Promise<void> {
        try {
            await this.store.save(this.conversation);
        } catch (error) {
            this.log.error(`Could not save the conversation: ${errorText(error)}`);
        }
    }

    private post(message: ToWebview): void {
        this.postEmitter.fire(message);
    }

    dispose(): void {
        this.stop();
        for (const d of this.disposables.splice(0)) d.dispose();
    }
}

/** The conversation as the engine sees it: finished answers only (failed turns are left out). */
export function toMessages(turns: readonly TurnView[]): ChatMessage[] {
    const out: ChatMessage[] = [];
    for (const t of turns) {
        if (t.role === "user")
            out.push({
                role: "user",
                text: t.text,
                ...(t.attachments ? { attachments: t.attachments } : {})
            });
        else if ((t.state === "done" || t.state === "stopped") && t.text.length > 0)
            out.push({ role: "assistant", text: t.text });
    }
    // Two user messages in a row (a failed answer between them) are fine for every chat template.
    return out;
}

export function modelLine(status: ClientStatus): ModelLine {
    switch (status.state) {
        case "ready":
            return {
                state: "ready",
                name: status.model.name,
                template: status.model.chatTemplate
                    ? "own chat template"
                    : "ChatML fallback (no chat template)"
            };
        case "starting":
            return { state: "busy", message: "Starting the engine…" };
        case "loading":
            return {
                state: "busy",
                message: `Loading the model… ${Math.round(status.progress * 100)}%`
            };
        case "crashed":
            return { state: "busy", message: status.message };
        case "noModel":
            return {
                state: "unavailable",
                message: "No model is ready. Choose a GGUF model file to chat.",
                canPick: true
            };
        case "error":
            return {
                state: "unavailable",
                message: `${status.message} ${status.action}`,
                canPick: true
            };
        case "stopped":
            return { state: "unavailable", message: status.message, canPick: false };
    }
}

function notReadyText(status: ClientStatus | undefined): string {
    if (!status || status.state === "starting" || status.state === "crashed")
        return "The engine is not running yet. Press Retry in a moment.";
    if (status.state === "stopped")
        return `${status.message} Run "Apprentice: Restart Engine", then Retry.`;
    return "The engine is not ready.";
}

function errorText(error: unknown): string {
    if (error instanceof ResponseError) {
        const data = error.data as ChatErrorData | undefined;
        return data?.action ? `${error.message} ${data.action}` : error.message;
    }
    return error instanceof Error ? error.message : String(error);
}
