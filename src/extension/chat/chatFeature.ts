/** The chat area of the extension: session, view, editor actions and commands, plus its test API. */
import * as vscode from "vscode";
import { ChatProgressNotification, type ChatAttachment } from "../../shared/chatProtocol";
import type { ChatApi } from "../api";
import type { ExtensionFeature } from "../feature";
import { registerChatCommands } from "./chatCommands";
import { ChatSession } from "./chatSession";
import { CHAT_VIEW_ID, ChatViewProvider } from "./chatViewProvider";
import { ConversationStore } from "./conversationStore";
import { EditorActions } from "./editorActions";

export function createChatFeature(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): ExtensionFeature {
    const session = new ChatSession(new ConversationStore(context.workspaceState), log);
    const actions = new EditorActions();
    const view = new ChatViewProvider(context.extensionUri, session, actions, log);
    const disposables: vscode.Disposable[] = [
        session, actions, view,
        vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view, { webviewOptions: { retainContextWhenHidden: true } }),
        ...registerChatCommands(session, view, actions)
    ];
    const chat: ChatApi = {
        onDidPostToWebview: view.onDidPostToWebview,
        get isViewReady() { return view.isReady; },
        reveal: () => view.reveal(),
        send: (text: string, attachments: ChatAttachment[] = []) => {
            for (const a of attachments) session.addAttachment(a);
            return session.send(text);
        },
        stop: () => session.stop(),
        retry: () => session.retry()
    };
    return {
        register: (client) => { client.onNotification(ChatProgressNotification.type, (params) => session.onProgress(params)); },
        activate: (engine) => session.attachEngine(engine),
        api: { chat },
        dispose: () => { for (const d of disposables.splice(0).reverse()) d.dispose(); }
    };
}
