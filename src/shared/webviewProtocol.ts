/**
 * Messages between the extension and the chat webview, typed once for both sides.
 * Both directions are checked at runtime (`parseFromWebview`, `parseToWebview`): a webview is
 * untrusted input, and an unknown message is rejected with a named error.
 */
import type { ChatAttachment, ChatStreamPart, ChatTimings } from "./chatProtocol";
import type { MentionItem } from "./mentions";

export type TurnState = "streaming" | "done" | "stopped" | "error" | "interrupted";

export interface TurnView {
    id: string;
    role: "user" | "assistant";
    text: string;
    thinking?: string;
    thinkingMs?: number;
    attachments?: ChatAttachment[];
    state?: TurnState;
    timings?: ChatTimings;
    /** What was left out so that the conversation fit. */
    note?: string;
    /** Error text shown on the turn (with the action to take). */
    error?: string;
    /** The model that answered (assistant turns; older stored turns have none). */
    model?: string;
}

export interface ConversationSummary {
    id: string;
    title: string;
    updated: number;
}

/** Which model answers, shown at the top of the view. */
export type ModelLine =
    | { state: "ready"; name: string; template?: string }
    | { state: "busy"; message: string }
    | { state: "unavailable"; message: string; canPick: boolean };

/** The ready-made questions the welcome view offers (the chat commands of the same names). */
export const STARTERS = ["explain", "findBugs", "writeTests", "document"] as const;
export type StarterId = (typeof STARTERS)[number];

export type ToWebview =
    | { type: "conversation"; id: string; turns: TurnView[]; conversations: ConversationSummary[] }
    | { type: "model"; model: ModelLine }
    | { type: "settings"; showThinking: boolean }
    | { type: "attachments"; attachments: ChatAttachment[] }
    | { type: "turnStarted"; user: TurnView; assistant: TurnView }
    | { type: "delta"; turnId: string; part: ChatStreamPart; text: string }
    | { type: "turnEnded"; turn: TurnView }
    | { type: "focusInput"; text?: string }
    | { type: "showHistory" }
    | { type: "mentionItems"; query: string; items: MentionItem[] };

export type FromWebview =
    | { type: "ready" }
    | { type: "send"; text: string }
    | { type: "stop" }
    | { type: "retry" }
    | { type: "regenerate" }
    | { type: "starter"; id: StarterId }
    | { type: "removeAttachment"; index: number }
    | { type: "attachFile" }
    | { type: "newChat" }
    | { type: "openConversation"; id: string }
    | { type: "deleteConversation"; id: string }
    | { type: "copy"; text: string }
    | { type: "insert"; text: string }
    | { type: "apply"; text: string }
    | { type: "openLink"; href: string }
    | { type: "pickModel" }
    | { type: "chooseModel" }
    | { type: "mentionQuery"; query: string }
    | { type: "mention"; id: string }
    | { type: "openReference"; uri: string; line: number };

/** Links in model output open only as http(s) URLs (checked in the webview and again in the extension). */
export function isSafeLink(url: string): boolean {
    return /^https?:\/\/[^\s]+$/i.test(url.trim());
}

export class InvalidWebviewMessageError extends Error {
    override readonly name = "InvalidWebviewMessageError";
}

type Shape = Record<
    string,
    "string" | "number" | "boolean" | "object" | "array" | "part" | "starter"
>;

const FROM_WEBVIEW: Record<FromWebview["type"], Shape> = {
    ready: {},
    stop: {},
    retry: {},
    regenerate: {},
    attachFile: {},
    newChat: {},
    pickModel: {},
    chooseModel: {},
    starter: { id: "starter" },
    send: { text: "string" },
    removeAttachment: { index: "number" },
    openConversation: { id: "string" },
    deleteConversation: { id: "string" },
    copy: { text: "string" },
    insert: { text: "string" },
    apply: { text: "string" },
    openLink: { href: "string" },
    mentionQuery: { query: "string" },
    mention: { id: "string" },
    openReference: { uri: "string", line: "number" }
};

const TO_WEBVIEW: Record<ToWebview["type"], Shape> = {
    conversation: { id: "string", turns: "array", conversations: "array" },
    model: { model: "object" },
    settings: { showThinking: "boolean" },
    attachments: { attachments: "array" },
    turnStarted: { user: "object", assistant: "object" },
    delta: { turnId: "string", part: "part", text: "string" },
    turnEnded: { turn: "object" },
    focusInput: {},
    showHistory: {},
    mentionItems: { query: "string", items: "array" }
};

function check<T extends { type: string }>(
    shapes: Record<string, Shape>,
    value: unknown,
    direction: string
): T {
    if (typeof value !== "object" || value === null)
        throw new InvalidWebviewMessageError(`${direction}: not an object`);
    const type = (value as { type?: unknown }).type;
    if (typeof type !== "string" || !Object.hasOwn(shapes, type))
        throw new InvalidWebviewMessageError(
            `${direction}: unknown message type ${JSON.stringify(type)}`
        );
    for (const [key, kind] of Object.entries(shapes[type])) {
        const field = (value as Record<string, unknown>)[key];
        const ok =
            kind === "array"
                ? Array.isArray(field)
                : kind === "part"
                  ? field === "text" || field === "thinking"
                  : kind === "starter"
                    ? (STARTERS as readonly unknown[]).includes(field)
                    : kind === "object"
                      ? typeof field === "object" && field !== null
                      : typeof field === kind;
        if (!ok)
            throw new InvalidWebviewMessageError(`${direction}: "${type}" needs ${key} (${kind})`);
    }
    return value as T;
}

/** Checks a message that came from the webview. Throws InvalidWebviewMessageError. */
export function parseFromWebview(value: unknown): FromWebview {
    return check<FromWebview>(FROM_WEBVIEW, value, "from webview");
}

/** Checks a message the webview received. Throws InvalidWebviewMessageError. */
export function parseToWebview(value: unknown): ToWebview {
    return check<ToWebview>(TO_WEBVIEW, value, "to webview");
}
