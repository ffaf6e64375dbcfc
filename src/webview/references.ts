/** Attachment chips: their label and icon, and in the transcript a chip with a file behind it (a reference) is a button that opens its lines. */
import type { ChatAttachment } from "../shared/chatProtocol";
import { iconHtml } from "./dom";
import { renderPlain } from "./markdown";

type ChipSource = { name: string; startLine?: number; endLine?: number; languageId: string; kind?: string };

/** The codicon of a chip: @workspace, @problems and @changes have their own, code has file-code. */
export function chipIcon(a: ChipSource): string {
    switch (a.kind) {
        case "workspace": return "search";
        case "problems": return "warning";
        case "changes": return "diff";
        default: return "file-code";
    }
}

export function attachmentChipHtml(a: ChatAttachment): string {
    const label = renderPlain(chipLabel(a));
    const icon = iconHtml(chipIcon(a));
    if (!a.uri) return `<div class="chip chip-static">${icon}${label}</div>`;
    return `<button type="button" class="chip chip-static chip-link" data-action="open-reference" data-uri="${renderPlain(a.uri)}" data-line="${a.startLine ?? 1}" title="Open ${label}">${icon}${label}</button>`;
}

/** The `openReference` message for a click on a reference chip, if the click was on one. */
export function referenceClick(target: HTMLElement): { type: "openReference"; uri: string; line: number } | undefined {
    const chip = target.closest<HTMLElement>("[data-action=\"open-reference\"]");
    if (!chip?.dataset.uri) return undefined;
    return { type: "openReference", uri: chip.dataset.uri, line: Number(chip.dataset.line ?? "1") || 1 };
}

export function chipLabel(a: ChipSource): string {
    // @workspace, @problems and @changes chips say what they are by their name.
    if (a.kind === "workspace" || a.kind === "problems" || a.kind === "changes") return a.name;
    const lines = a.startLine !== undefined ? `:${a.startLine}${a.endLine !== undefined && a.endLine !== a.startLine ? `-${a.endLine}` : ""}` : " (file)";
    return `${a.name}${lines}`;
}
