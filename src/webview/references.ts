/** Attachment chips in the transcript: one with a file behind it (a reference) is a button that opens its lines. */
import type { ChatAttachment } from "../shared/chatProtocol";
import { renderPlain } from "./markdown";

export function attachmentChipHtml(a: ChatAttachment): string {
    const label = renderPlain(chipLabel(a));
    const icon = `<span class="codicon codicon-${chipIcon(a.kind)}" aria-hidden="true"></span>`;
    if (!a.uri) return `<div class="chip chip-static">${icon}${label}</div>`;
    return `<button type="button" class="chip chip-static chip-link" data-action="open-reference" data-uri="${renderPlain(a.uri)}" data-line="${a.startLine ?? 1}" title="Open ${label}">${icon}${label}</button>`;
}

/** The `openReference` message for a click on a reference chip, if the click was on one. */
export function referenceClick(
    target: HTMLElement
): { type: "openReference"; uri: string; line: number } | undefined {
    const chip = target.closest<HTMLElement>('[data-action="open-reference"]');
    if (!chip?.dataset.uri) return undefined;
    return {
        type: "openReference",
        uri: chip.dataset.uri,
        line: Number(chip.dataset.line ?? "1") || 1
    };
}

function chipIcon(kind: string | undefined): string {
    switch (kind) {
        case "workspace":
            return "search";
        case "problems":
            return "warning";
        case "changes":
            return "git-compare";
        default:
            return "file-code";
    }
}

export function chipLabel(a: {
    name: string;
    startLine?: number;
    endLine?: number;
    languageId: string;
    kind?: string;
}): string {
    // @workspace, @problems and @changes chips say what they are by their name.
    if (a.kind === "workspace" || a.kind === "problems" || a.kind === "changes") return a.name;
    const lines =
        a.startLine !== undefined
            ? `:${a.startLine}${a.endLine !== undefined && a.endLine !== a.startLine ? `-${a.endLine}` : ""}`
            : " (file)";
    return `${a.name}${lines}`;
}
