/** What the chat input's @-picker offers (the extension finds them, the webview shows them). */

export type MentionKind = "workspace" | "problems" | "changes" | "editor" | "file" | "symbol";

export interface MentionItem {
    /** Opaque to the webview: it sends the id back when the item is chosen. */
    id: string;
    kind: MentionKind;
    /** What the picker shows: `@workspace`, a file name, a symbol name. */
    label: string;
    /** A second, dimmer line: the folder, the symbol's file, what a special item does. */
    description: string;
}

/** The items every chat has, whatever the workspace holds. */
export const SPECIAL_MENTIONS: readonly MentionItem[] = [
    {
        id: "workspace",
        kind: "workspace",
        label: "@workspace",
        description: "Find the code that answers the question in the workspace index"
    },
    {
        id: "problems",
        kind: "problems",
        label: "@problems",
        description: "The errors and warnings of the current file (or of the workspace)"
    },
    {
        id: "changes",
        kind: "changes",
        label: "@changes",
        description: "The working tree's changes (git diff)"
    }
];

/** The `@word` being typed just before the caret, if any: where it starts and the text after `@`. */
export function mentionAtCaret(
    text: string,
    caret: number
): { start: number; query: string } | undefined {
    const before = text.slice(0, caret);
    const match = /(^|\s)@([^\s@]{0,100})$/.exec(before);
    if (!match) return undefined;
    return { start: before.length - match[2].length - 1, query: match[2] };
}
