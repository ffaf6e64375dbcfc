/** The chat area of the extension: session, view, editor actions and commands, plus its test API. */
import * as vscode from "vscode";
import { ChatProgressNotification, type ChatAttachment } from "../../shared/chatProtocol";
import type { ChatApi } from "../api";
import type { ExtensionFeature } from "../feature";
import { registerChatCommands } from "./chatCommands";
import { ChatSession } from "./chatSession";
import { CHAT_VIEW_ID, ChatViewProvider } from "./chatViewProvider";
import * as path from "node:path";
import { noticeDamagedFile, type DamagedFileNotice } from "../storage/damagedFileNotice";
import { ConversationStore, HISTORY_FILE_NAME } from "./conversationStore";
import { EditorActions } from "./editorActions";
import { Commands } from "../commandIds";
import { CommitMessageGenerator } from "../commit/commitMessage";

export function createChatFeature(
    context: vscode.ExtensionContext,
    log: vscode.LogOutputChannel
): ExtensionFeature {
    // Per workspace; a window without a folder has no workspace storage and uses the global one.
    const folder = (context.storageUri ?? context.globalStorageUri).fsPath;
    const store = new ConversationStore(
        path.join(folder, HISTORY_FILE_NAME),
        context.workspaceState
    );
    const session = new ChatSession(store, log);
    const damaged = new vscode.EventEmitter<DamagedFileNotice>();
    const loadHistory = async (): Promise<DamagedFileNotice | undefined> => {
        try {
            const report = await store.load();
            session.historyLoaded();
            if (!report) return undefined;
            const notice = noticeDamagedFile("chat history", report, log);
            damaged.fire(notice);
            return notice;
        } catch (error) {
            log.error(
                `Could not read the chat history ${store.path}: ${error instanceof Error ? error.message : String(error)}`
            );
            return undefined;
        }
    };
    void loadHistory();
    const actions = new EditorActions();
    const commitMessages = new CommitMessageGenerator(log);
    const view = new ChatViewProvider(context.extensionUri, session, actions, log);
    const disposables: vscode.Disposable[] = [
        session,
        actions,
        view,
        damaged,
        commitMessages,
        vscode.commands.registerCommand(
            Commands.generateCommitMessage,
            (sourceControl?: { rootUri?: vscode.Uri }) => commitMessages.command(sourceControl)
        ),
        vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view, {
            webviewOptions: { retainContextWhenHidden: true }
        }),
        ...registerChatCommands(session, view, actions)
    ];
    const chat: ChatApi = {
        onDidPostToWebview: view.onDidPostToWebview,
        get isViewReady() {
            return view.isReady;
        },
        reveal: () => view.reveal(),
        send: (text: string, attachments: ChatAttachment[] = []) => {
            for (const a of attachments) session.addAttachment(a);
            return session.send(text);
        },
        stop: () => session.stop(),
        retry: () => session.retry(),
        regenerate: () => session.regenerate(),
        history: { file: store.path, reload: loadHistory, onDidMoveAside: damaged.event }
    };
    const mentions = {
        query: (text: string) => session.mentions.source.query(text),
        choose: (id: string) => session.mentions.choose(id)
    };
    return {
        register: (client) => {
            client.onNotification(ChatProgressNotification.type, (params) => {
                if (!commitMessages.onProgress(params)) session.onProgress(params);
            });
        },
        activate: (engine) => {
            session.attachEngine(engine);
            commitMessages.attachEngine(engine);
        },
        api: {
            chat,
            mentions,
            commitMessage: { generate: (rootUri?: vscode.Uri) => commitMessages.generate(rootUri) }
        },
        flush: () => store.flush(),
        dispose: () => {
            for (const d of disposables.splice(0).reverse()) d.dispose();
        }
    };
}
