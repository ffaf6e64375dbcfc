import type * as vscode from "vscode";
import type { ChatAttachment } from "../shared/chatProtocol";
import type { ToWebview, TurnView } from "../shared/webviewProtocol";
import type { EngineCompletionStats } from "../shared/completionProtocol";
import type { StatsView } from "../shared/statsProtocol";
import type { CompletionEvent } from "./completion/completionEvent";
import type { ClientStatus } from "./engineClient";
import type { DamagedFileNotice } from "./storage/damagedFileNotice";
import type {
    WorkspaceIndexProgress,
    WorkspaceSearchResult
} from "../shared/workspaceIndexProtocol";
import type { MentionItem } from "../shared/mentions";

/** The workspace code index (`@workspace`), for tests and other extensions. */
export interface WorkspaceIndexApi {
    /** The engine's last progress report ("off" while no engine runs or the index is turned off). */
    readonly progress: WorkspaceIndexProgress;
    readonly onDidProgress: vscode.Event<WorkspaceIndexProgress>;
    search(query: string, maxTokens?: number): Promise<WorkspaceSearchResult>;
}

/** The chat input's @-mentions, for tests. */
export interface MentionsApi {
    /** What the picker offers for the text typed after `@`. */
    query(text: string): Promise<MentionItem[]>;
    /** Attaches an offered item to the next message, as choosing it in the picker does. */
    choose(id: string): Promise<void>;
}

/** The chat, for tests and other extensions. */
export interface ChatApi {
    /** Fired with every message the extension posts to the chat webview. */
    readonly onDidPostToWebview: vscode.Event<ToWebview>;
    /** Whether the chat view's page has loaded and said it is ready. */
    readonly isViewReady: boolean;
    /** Shows the chat view; resolves when its page is ready. */
    reveal(): Promise<void>;
    /** Sends a prompt (with optional attached code) as the user would; resolves with the finished answer. */
    send(text: string, attachments?: ChatAttachment[]): Promise<TurnView>;
    stop(): void;
    /** Runs the last user message again, as the Retry button does (after an error or an engine crash); undefined when there is nothing to retry. */
    retry(): Promise<TurnView> | undefined;
    /** Answers the last question again in place of its answer, as the Regenerate button does; undefined when there is nothing to regenerate or an answer is running. */
    regenerate?(): Promise<TurnView> | undefined;
    /** The chat history file (docs/chat.md, "Where history is kept"). */
    readonly history?: {
        readonly file: string;
        /** Reads the file again, as at activation; resolves with what the user was told when it was damaged and moved aside. */
        reload(): Promise<DamagedFileNotice | undefined>;
        /** Fires when a damaged history file was moved aside and the user warned. */
        readonly onDidMoveAside: vscode.Event<DamagedFileNotice>;
    };
}

/** Restricted Mode, for tests: what the trust feature found. */
export interface TrustApi {
    /** Restricted settings that the untrusted workspace sets and VS Code therefore ignores; [] when trusted. */
    readonly ignoredWorkspaceSettings: readonly string[];
    /** The message shown to the user about them, if any. */
    readonly notice: string | undefined;
    /** Resolves when the workspace's settings files have been checked. */
    readonly checked: Promise<void>;
}

/** What `activate` returns: read by the integration tests and by other extensions. */
export interface ApprenticeApi {
    readonly status: ClientStatus;
    readonly onDidChangeStatus: vscode.Event<ClientStatus>;
    readonly enginePid: number | undefined;
    readonly chat?: ChatApi;
    /** Inline completion: fires after each answered request (tests read it). */
    readonly completion?: {
        readonly onDidProvide: vscode.Event<CompletionEvent>;
        /** Where the local completion stats are kept (completion-stats.json; docs/inline-completion.md). */
        readonly statsFile?: string;
        /** The engine's counters (apprentice/completion/stats); undefined while no engine runs. */
        engineStats?(): Promise<EngineCompletionStats | undefined>;
        /** The completion stats view (Apprentice: Show Completion Stats): what it was last sent, and whether its page is loaded. */
        readonly statsView?: {
            readonly onDidPost: vscode.Event<StatsView>;
            readonly isReady: boolean;
        };
    };
    readonly workspaceIndex?: WorkspaceIndexApi;
    readonly mentions?: MentionsApi;
    /** Generate Commit Message (Source Control): the message streamed into the repository's input box. */
    readonly commitMessage?: {
        generate(rootUri?: vscode.Uri): Promise<{ message: string; updates: number }>;
    };
    /** The status bar menu's rows as it would show them now (Apprentice: Show Menu). */
    readonly statusMenu?: { items(): readonly vscode.QuickPickItem[] };
    /** Restricted Mode: which workspace settings are ignored until the folder is trusted. */
    readonly trust?: TrustApi;
}
