/**
 * The composer: attached-code chips, the message box and its toolbar (attach, model, stop, send).
 * Enter sends, Shift+Enter makes a new line, Escape stops a running answer, Ctrl+Up goes to the
 * last message. Other parts (a mention picker, say) can take keys first with `addKeyHandler`.
 */
import type { ChatAttachment } from "../shared/chatProtocol";
import { el, icon, iconButton } from "./dom";
import { chipLabel } from "./transcript";

export interface ComposerActions {
    send(text: string): void;
    stop(): void;
    attachFile(): void;
    removeAttachment(index: number): void;
    chooseModel(): void;
    /** Ctrl+Up in the message box: focus the last message of the transcript. */
    focusTranscript(): void;
    /** The draft changed (it is kept while the view is hidden). */
    draftChanged(text: string): void;
}

/** Returns true when it handled the key (the composer then does nothing with it). */
export type ComposerKeyHandler = (event: KeyboardEvent) => boolean;

export class Composer {
    readonly element: HTMLElement;
    readonly input: HTMLTextAreaElement;
    /** The model indicator in the toolbar (modelStatus.ts fills it). */
    readonly modelIndicator: HTMLButtonElement;
    private readonly chips: HTMLElement;
    private readonly sendButton: HTMLButtonElement;
    private readonly stopButton: HTMLButtonElement;
    private readonly keyHandlers: ComposerKeyHandler[] = [];
    private generating = false;

    constructor(private readonly actions: ComposerActions) {
        this.chips = el("div", {
            id: "chips",
            class: "chips",
            role: "list",
            "aria-label": "Attached code"
        });
        this.input = el("textarea", {
            id: "input",
            rows: 1,
            "aria-label": "Message to Apprentice",
            "aria-describedby": "input-help",
            placeholder: "Ask about your code"
        });
        const help = el(
            "span",
            { id: "input-help", class: "sr-only" },
            "Enter sends, Shift+Enter makes a new line, Escape stops an answer, Control+Up goes to the last message."
        );
        const attach = iconButton("attach", "Attach the current file", { id: "attach" });
        this.modelIndicator = el("button", {
            type: "button",
            id: "model-line",
            class: "model-indicator"
        });
        this.stopButton = iconButton("debug-stop", "Stop (Escape)", { id: "stop", hidden: true });
        this.sendButton = iconButton("send", "Send (Enter)", {
            id: "send",
            class: "icon-button send"
        });
        const toolbar = el(
            "div",
            { class: "input-toolbar" },
            attach,
            this.modelIndicator,
            el("span", { class: "spacer" }),
            this.stopButton,
            this.sendButton
        );
        const box = el("div", { class: "input-box" }, this.chips, this.input, help, toolbar);
        this.element = el("footer", { class: "composer" }, box);

        this.input.addEventListener("keydown", (event) => this.onKey(event));
        this.input.addEventListener("input", () => actions.draftChanged(this.input.value));
        box.addEventListener("click", (event) => {
            if (event.target === box) this.input.focus();
        });
        attach.addEventListener("click", () => actions.attachFile());
        this.modelIndicator.addEventListener("click", () => actions.chooseModel());
        this.sendButton.addEventListener("click", () => this.send());
        this.stopButton.addEventListener("click", () => actions.stop());
    }

    /** Lets another part see keys in the message box first; returns a function that removes it. */
    addKeyHandler(handler: ComposerKeyHandler): () => void {
        this.keyHandlers.unshift(handler);
        return () => {
            const at = this.keyHandlers.indexOf(handler);
            if (at >= 0) this.keyHandlers.splice(at, 1);
        };
    }

    get value(): string {
        return this.input.value;
    }
    set value(text: string) {
        this.input.value = text;
    }

    focus(text?: string): void {
        if (text !== undefined && this.input.value.trim().length === 0) this.input.value = text;
        this.input.focus();
    }

    setGenerating(value: boolean): void {
        this.generating = value;
        this.stopButton.hidden = !value;
        this.sendButton.hidden = value;
    }

    setAttachments(attachments: readonly ChatAttachment[]): void {
        this.chips.replaceChildren(
            ...attachments.map((a, index) => {
                const remove = iconButton("close", `Remove ${chipLabel(a)}`, {
                    class: "icon-button chip-remove"
                });
                remove.addEventListener("click", () => this.actions.removeAttachment(index));
                return el(
                    "span",
                    { class: "chip", role: "listitem", "aria-label": chipLabel(a) },
                    icon("file-code"),
                    el(
                        "span",
                        {
                            class: "chip-label",
                            title: `${a.languageId}, ${a.text.length} characters`
                        },
                        chipLabel(a)
                    ),
                    remove
                );
            })
        );
    }

    private send(): void {
        const text = this.input.value.trim();
        if (!text || this.generating) return;
        this.actions.send(text);
        this.input.value = "";
        this.actions.draftChanged("");
    }

    private onKey(event: KeyboardEvent): void {
        if (event.isComposing) return;
        for (const handler of this.keyHandlers) if (handler(event)) return;
        if (event.key === "Enter" && !event.shiftKey) {
            event.preventDefault();
            this.send();
        } else if (event.key === "Escape" && this.generating) {
            event.preventDefault();
            this.actions.stop();
        } else if (event.key === "ArrowUp" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            this.actions.focusTranscript();
        }
    }
}
