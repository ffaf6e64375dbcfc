/** Conversations of this workspace, kept in `workspaceState` so they survive reloads and engine restarts. */
import type * as vscode from "vscode";
import type { ConversationSummary, TurnView } from "../../shared/webviewProtocol";

export interface Conversation {
    id: string;
    title: string;
    updated: number;
    turns: TurnView[];
}

const KEY = "apprentice.chat.conversations";
const MAX_CONVERSATIONS = 50;

export class ConversationStore {
    constructor(private readonly memento: vscode.Memento) {}

    all(): Conversation[] {
        const stored = this.memento.get<unknown>(KEY);
        if (!Array.isArray(stored)) return [];
        return stored.filter((c): c is Conversation => typeof c?.id === "string" && Array.isArray(c.turns));
    }

    summaries(): ConversationSummary[] {
        return this.all().map(({ id, title, updated }) => ({ id, title, updated }));
    }

    get(id: string): Conversation | undefined {
        return this.all().find((c) => c.id === id);
    }

    /** Saves a conversation (most recent first); empty ones are not kept. */
    async save(conversation: Conversation): Promise<void> {
        const others = this.all().filter((c) => c.id !== conversation.id);
        const list = conversation.turns.length > 0 ? [conversation, ...others] : others;
        await this.memento.update(KEY, list.slice(0, MAX_CONVERSATIONS));
    }

    async delete(id: string): Promise<void> {
        await this.memento.update(KEY, this.all().filter((c) => c.id !== id));
    }
}
