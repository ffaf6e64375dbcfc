/**
 * The chat history file's content: a list of conversations, most recent first. Checks what is read
 * back, and keeps what is written small enough that saving stays fast (limits below).
 */
import type { TurnView } from "../../shared/webviewProtocol";

export interface Conversation {
    id: string;
    title: string;
    updated: number;
    turns: TurnView[];
}

/** The history keeps this many conversations. */
export const MAX_CONVERSATIONS = 50;
/** A saved text (answer, thinking, question, attached code) longer than this is cut; the chat view cuts answers at the same length. */
export const MAX_SAVED_TEXT = 200_000;
/** The whole file at most (UTF-8 bytes of the conversations); older conversations go first when it would be larger. */
export const MAX_HISTORY_BYTES = 4 * 1024 * 1024;

const TURN_STATES = new Set(["streaming", "done", "stopped", "error", "interrupted"]);

/** Checks one stored conversation; throws an Error naming what is wrong. */
export function parseConversation(value: unknown, where = "conversation"): Conversation {
    const c = value as Partial<Conversation> | null;
    if (typeof c !== "object" || c === null) throw new Error(`${where} is not an object`);
    if (
        typeof c.id !== "string" ||
        typeof c.title !== "string" ||
        typeof c.updated !== "number" ||
        !Array.isArray(c.turns)
    ) {
        throw new Error(`${where} needs id, title, updated and turns`);
    }
    c.turns.forEach((t, i) => checkTurn(t, `${where}, turn ${i + 1}`));
    return c as Conversation;
}

function checkTurn(value: unknown, where: string): void {
    const t = value as Partial<TurnView> | null;
    if (typeof t !== "object" || t === null) throw new Error(`${where} is not an object`);
    if (
        typeof t.id !== "string" ||
        (t.role !== "user" && t.role !== "assistant") ||
        typeof t.text !== "string"
    )
        throw new Error(`${where} needs id, role and text`);
    if (t.state !== undefined && !TURN_STATES.has(t.state))
        throw new Error(`${where} has an unknown state`);
    if (
        t.attachments !== undefined &&
        (!Array.isArray(t.attachments) ||
            !t.attachments.every((a) => typeof a?.name === "string" && typeof a.text === "string"))
    ) {
        throw new Error(`${where} has malformed attachments`);
    }
}

/** Checks the whole list; one damaged conversation makes the file damaged (it is moved aside whole, nothing is dropped silently). */
export function parseHistory(data: unknown): Conversation[] {
    if (!Array.isArray(data)) throw new Error("the history is not a list of conversations");
    return data.map((c, i) => parseConversation(c, `conversation ${i + 1}`));
}

/**
 * What is written: at most MAX_CONVERSATIONS, long texts cut to MAX_SAVED_TEXT, and no more than
 * `maxBytes` in all (older conversations are left out first; if the newest alone is too large, its
 * oldest turns are). Never changes the conversations passed in.
 */
export function fitHistory(
    list: readonly Conversation[],
    maxBytes = MAX_HISTORY_BYTES
): Conversation[] {
    const out: Conversation[] = [];
    let total = 2;
    for (const conversation of list.slice(0, MAX_CONVERSATIONS)) {
        let fitted = cutLongTexts(conversation);
        let size = byteSize(fitted) + 1;
        if (out.length === 0) {
            while (total + size > maxBytes && fitted.turns.length > 1) {
                fitted = { ...fitted, turns: fitted.turns.slice(1) };
                size = byteSize(fitted) + 1;
            }
        } else if (total + size > maxBytes) {
            break;
        }
        out.push(fitted);
        total += size;
    }
    return out;
}

function cutLongTexts(conversation: Conversation): Conversation {
    if (!conversation.turns.some(hasLongText)) return conversation;
    return {
        ...conversation,
        turns: conversation.turns.map((t) => (hasLongText(t) ? cutTurn(t) : t))
    };
}

function hasLongText(t: TurnView): boolean {
    return (
        t.text.length > MAX_SAVED_TEXT ||
        (t.thinking?.length ?? 0) > MAX_SAVED_TEXT ||
        (t.attachments ?? []).some((a) => a.text.length > MAX_SAVED_TEXT)
    );
}

function cutTurn(t: TurnView): TurnView {
    return {
        ...t,
        text: cut(t.text),
        ...(t.thinking !== undefined ? { thinking: cut(t.thinking) } : {}),
        ...(t.attachments
            ? { attachments: t.attachments.map((a) => ({ ...a, text: cut(a.text) })) }
            : {})
    };
}

function cut(text: string): string {
    return text.length > MAX_SAVED_TEXT
        ? `${text.slice(0, MAX_SAVED_TEXT)}\n\n[… ${text.length - MAX_SAVED_TEXT} more characters were not saved]`
        : text;
}

function byteSize(value: unknown): number {
    return Buffer.byteLength(JSON.stringify(value));
}
