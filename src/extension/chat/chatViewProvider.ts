/** The chat webview view: its page, and the checked message channel between it and the chat session. */
import * as vscode from "vscode";
import {
    InvalidWebviewMessageError,
    isSafeLink,
    parseFromWebview,
    type FromWebview,
    type StarterId,
    type ToWebview
} from "../../shared/webviewProtocol";
import { Commands } from "../commandIds";
import { chatPageHtml, makeNonce } from "./chatPage";
import type { ChatSession } from "./chatSession";
import type { EditorActions } from "./editorActions";

export const CHAT_VIEW_ID = "apprentice.chatView";

/** The welcome view's starters run the chat command of the same name. */
const STARTER_COMMANDS: Record<StarterId, string> = {
    explain: Commands.chatExplain,
    findBugs: Commands.chatFindBugs,
    writeTests: Commands.chatWriteTests,
    document: Commands.chatDocument
};

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
    private view: vscode.WebviewView | undefined;
    private ready = false;
    private readonly postEmitter = new vscode.EventEmitter<ToWebview>();
    private readonly disposables: vscode.Disposable[] = [this.postEmitter];
    /** Waiters for the webview's `ready` message. */
    private readyWaiters: (() => void)[] = [];

    /** Fired with every message posted to the webview. */
    readonly onDidPostToWebview = this.postEmitter.event;

    constructor(
        private readonly extensionUri: vscode.Uri,
        private readonly session: ChatSession,
        private readonly actions: EditorActions,
        private readonly log: vscode.LogOutputChannel
    ) {
        this.disposables.push(
            session.onDidPost((message) => this.post(message)),
            vscode.workspace.onDidChangeConfiguration((e) => {
                if (e.affectsConfiguration("apprentice.chat.showThinking"))
                    this.post({ type: "settings", showThinking: showThinking() });
            })
        );
    }

    get isReady(): boolean {
        return this.ready;
    }

    resolveWebviewView(view: vscode.WebviewView): void {
        this.view = view;
        this.ready = false;
        const media = vscode.Uri.joinPath(this.extensionUri, "media");
        view.webview.options = { enableScripts: true, localResourceRoots: [media] };
        view.webview.html = chatPageHtml({
            cspSource: view.webview.cspSource,
            nonce: makeNonce(),
            scriptUri: view.webview
                .asWebviewUri(vscode.Uri.joinPath(media, "dist", "webview.js"))
                .toString(),
            styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, "chat.css")).toString(),
            codiconsUri: view.webview
                .asWebviewUri(vscode.Uri.joinPath(media, "dist", "codicons", "codicon.css"))
                .toString()
        });
        this.session.setViewVisible(view.visible);
        const subscriptions = [
            view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
            view.onDidChangeVisibility(() => this.session.setViewVisible(view.visible)),
            view.onDidDispose(() => {
                this.session.setViewVisible(false);
                if (this.view === view) {
                    this.view = undefined;
                    this.ready = false;
                }
                for (const s of subscriptions) s.dispose();
            })
        ];
    }

    /** Shows the view; resolves once its page is ready for messages (or after 15 s: it catches up when it loads). */
    async reveal(): Promise<void> {
        if (!this.ready) {
            let timer: NodeJS.Timeout | undefined;
            const ready = new Promise<void>((resolve) => {
                this.readyWaiters.push(resolve);
                timer = setTimeout(resolve, 15_000);
            });
            await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
            await ready;
            clearTimeout(timer);
        } else {
            this.view?.show(true);
        }
    }

    post(message: ToWebview): void {
        this.postEmitter.fire(message);
        if (this.view && this.ready) void this.view.webview.postMessage(message);
    }

    private receive(raw: unknown): void {
        let message: FromWebview;
        try {
            message = parseFromWebview(raw);
        } catch (error) {
            if (error instanceof InvalidWebviewMessageError) {
                this.log.error(`Chat view: ${error.message}`);
                return;
            }
            throw error;
        }
        void this.handle(message).catch((error) =>
            this.log.error(`Chat view: ${message.type} failed: ${String(error)}`)
        );
    }

    private async handle(message: FromWebview): Promise<void> {
        switch (message.type) {
            case "ready":
                this.ready = true;
                for (const m of this.session.snapshot(showThinking())) this.post(m);
                for (const resolve of this.readyWaiters.splice(0)) resolve();
                return;
            case "send":
                await this.session.send(message.text);
                return;
            case "stop":
                this.session.stop();
                return;
            case "retry":
                await this.session.retry();
                return;
            case "regenerate":
                await this.session.regenerate();
                return;
            case "starter":
                await vscode.commands.executeCommand(STARTER_COMMANDS[message.id]);
                return;
            case "removeAttachment":
                this.session.removeAttachment(message.index);
                return;
            case "attachFile":
                await vscode.commands.executeCommand(Commands.chatAttachFile);
                return;
            case "newChat":
                this.session.newChat();
                return;
            case "openConversation":
                this.session.open(message.id);
                return;
            case "deleteConversation":
                await this.session.delete(message.id);
                return;
            case "copy":
                await this.actions.copy(message.text);
                return;
            case "insert":
                await this.actions.insert(message.text);
                return;
            case "apply":
                await this.actions.apply(message.text);
                return;
            case "openLink":
                if (isSafeLink(message.href))
                    await vscode.env.openExternal(vscode.Uri.parse(message.href, true));
                else
                    this.log.warn(
                        `Chat view: refused to open a non-http(s) link: ${message.href.slice(0, 100)}`
                    );
                return;
            case "pickModel":
                await vscode.commands.executeCommand(Commands.selectModelFile);
                return;
            case "chooseModel":
                await vscode.commands.executeCommand(Commands.chooseModel);
                return;
            case "mentionQuery":
                await this.session.mentions.query(message.query);
                return;
            case "mention":
                await this.session.mentions.choose(message.id);
                return;
            case "openReference":
                await this.session.mentions.openReference(message.uri, message.line);
                return;
        }
    }

    dispose(): void {
        for (const d of this.disposables.splice(0)) d.dispose();
    }
}

export function showThinking(): boolean {
    return vscode.workspace.getConfiguration("apprentice.chat").get<boolean>("showThinking", true);
}
