/**
 * Conversations of this workspace, kept in a chat history file (`chat-history.json` in the
 * extension's workspace storage) that is written atomically, so they survive reloads, engine
 * restarts and crashes. Conversations that older versions kept in `workspaceState` move into the
 * file once. A damaged file is moved aside by AtomicJsonFile; `load()` returns its report.
 */
import type * as vscode from "vscode";
import type { ConversationSummary } from "../../shared/webviewProtocol";
import { AtomicJsonFile, type CorruptFileReport } from "../storage/atomicJsonFile";
import {
    fitHistory,
    MAX_CONVERSATIONS,
    parseConversation,
    parseHistory,
    type Conversation
} from "./conversationFormat";

export type { Conversation } from "./conversationFormat";

/** Where versions before the history file kept the conversations. */
export const LEGACY_KEY = "apprentice.chat.conversations";
export const HISTORY_FILE_NAME = "chat-history.json";
const HISTORY_VERSION = 1;

export class ConversationStore {
    private list: Conversation[] = [];
    private readonly file: AtomicJsonFile<Conversation[]>;
    private loading: Promise<CorruptFileReport | undefined> | undefined;

    /** `legacy`: the workspaceState to migrate conversations from (and then clear). */
    constructor(
        file: string,
        private readonly legacy?: vscode.Memento
    ) {
        this.file = new AtomicJsonFile({
            file,
            version: HISTORY_VERSION,
            parse: parseHistory,
            empty: () => []
        });
    }

    get path(): string {
        return this.file.file;
    }

    /**
     * (Re)reads the file and migrates conversations left in workspaceState. Resolves with the report
     * when the file was damaged and moved aside. Saves wait for it.
     */
    load(): Promise<CorruptFileReport | undefined> {
        const previous = this.loading;
        this.loading = (async () => {
            await previous?.catch(() => undefined);
            await this.file.flush();
            const result = await this.file.load();
            this.list = result.value;
            await this.migrate();
            return result.corrupt;
        })();
        return this.loading;
    }

    all(): Conversation[] {
        return [...this.list];
    }

    summaries(): ConversationSummary[] {
        return this.list.map(({ id, title, updated }) => ({ id, title, updated }));
    }

    get(id: string): Conversation | undefined {
        return this.list.find((c) => c.id === id);
    }

    /** Saves a conversation (most recent first); empty ones are not kept. */
    async save(conversation: Conversation): Promise<void> {
        await this.loaded();
        const others = this.list.filter((c) => c.id !== conversation.id);
        this.list = (conversation.turns.length > 0 ? [conversation, ...others] : others).slice(
            0,
            MAX_CONVERSATIONS
        );
        await this.write();
    }

    async delete(id: string): Promise<void> {
        await this.loaded();
        this.list = this.list.filter((c) => c.id !== id);
        await this.write();
    }

    /** Writes what is pending (at deactivation). */
    flush(): Promise<void> {
        return this.file.flush();
    }

    private write(): Promise<void> {
        return this.file.save(fitHistory(this.list));
    }

    /** Saving before the file was read would replace the history with one conversation: read it first. */
    private async loaded(): Promise<void> {
        await (this.loading ?? this.load()).catch(() => undefined);
    }

    /** Moves conversations from workspaceState into the file; clears the key only once they are written. */
    private async migrate(): Promise<void> {
        const stored = this.legacy?.get<unknown>(LEGACY_KEY);
        if (stored === undefined || !this.legacy) return;
        const known = new Set(this.list.map((c) => c.id));
        const old = (Array.isArray(stored) ? stored : []).flatMap((c) => {
            try {
                const conversation = parseConversation(c);
                return known.has(conversation.id) ? [] : [conversation];
            } catch {
                return []; // the old store skipped such entries too
            }
        });
        if (old.length > 0) {
            this.list = [...this.list, ...old]
                .sort((a, b) => b.updated - a.updated)
                .slice(0, MAX_CONVERSATIONS);
            // Not written (disk full, a damaged file that could not be moved aside): keep the old copy for next time.
            if (
                !(await this.write().then(
                    () => true,
                    () => false
                ))
            )
                return;
        }
        await this.legacy.update(LEGACY_KEY, undefined);
    }
}
