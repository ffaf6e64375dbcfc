/**
 * Past conversations, picked the way VS Code's Quick Open picks: a button with the conversation's
 * title opens a filter box over a list. Up/Down move, Enter opens, Delete removes the highlighted
 * conversation, Escape closes; the mouse gets a trash button per row.
 */
import type { ConversationSummary } from "../shared/webviewProtocol";
import { el, icon, iconButton } from "./dom";

export interface HistoryActions {
    open(id: string): void;
    remove(id: string): void;
}

export class HistoryPicker {
    readonly element: HTMLElement;
    private readonly button: HTMLButtonElement;
    private readonly title: HTMLElement;
    private readonly popup: HTMLElement;
    private readonly filter: HTMLInputElement;
    private readonly list: HTMLElement;
    private conversations: ConversationSummary[] = [];
    private activeId = "";
    private shown: ConversationSummary[] = [];
    private highlighted = 0;

    constructor(private readonly actions: HistoryActions) {
        this.title = el(
            "span",
            { id: "conversation-title", class: "conversation-title" },
            "New chat"
        );
        this.button = el(
            "button",
            {
                type: "button",
                id: "history-button",
                class: "history-button",
                title: "Past conversations",
                "aria-haspopup": "listbox",
                "aria-expanded": "false",
                "aria-controls": "history-popup"
            },
            icon("history"),
            this.title,
            icon("chevron-down")
        );
        this.button.setAttribute("aria-label", "Past conversations: New chat");
        this.filter = el("input", {
            id: "history-filter",
            type: "text",
            role: "combobox",
            "aria-expanded": "true",
            "aria-controls": "history-list",
            "aria-autocomplete": "list",
            "aria-label": "Search past conversations",
            placeholder: "Search conversations",
            autocomplete: "off",
            spellcheck: "false"
        });
        this.list = el("ul", {
            id: "history-list",
            class: "history-list",
            role: "listbox",
            "aria-label": "Past conversations"
        });
        const hint = el(
            "div",
            { class: "history-hint" },
            "Enter opens · Delete removes · Esc closes"
        );
        this.popup = el(
            "div",
            { id: "history-popup", class: "history-popup", hidden: true },
            this.filter,
            this.list,
            hint
        );
        this.element = el("div", { class: "history" }, this.button, this.popup);

        this.button.addEventListener("click", () =>
            this.isOpen ? this.close(true) : this.openPopup()
        );
        this.filter.addEventListener("input", () => {
            this.highlighted = 0;
            this.renderList();
        });
        this.filter.addEventListener("keydown", (event) => this.onKey(event));
        this.list.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus in the filter box
        this.list.addEventListener("click", (event) => {
            const target = event.target as HTMLElement;
            const row = target.closest<HTMLElement>("[data-id]");
            if (!row?.dataset.id) return;
            if (target.closest(".history-delete")) this.actions.remove(row.dataset.id);
            else {
                this.actions.open(row.dataset.id);
                this.close(true);
            }
        });
        document.addEventListener("mousedown", (event) => {
            if (this.isOpen && !this.element.contains(event.target as Node)) this.close(false);
        });
    }

    get isOpen(): boolean {
        return !this.popup.hidden;
    }

    update(conversations: ConversationSummary[], activeId: string): void {
        this.conversations = conversations;
        this.activeId = activeId;
        const title = conversations.find((c) => c.id === activeId)?.title || "New chat";
        this.title.title = title;
        this.title.textContent = title;
        this.button.setAttribute("aria-label", `Past conversations: ${title}`);
        if (this.isOpen) this.renderList();
    }

    /** The first question names a new conversation (as the extension does when it saves it). */
    nameNewConversation(question: string): void {
        const current = this.conversations.find((c) => c.id === this.activeId);
        if (!current || (current.title && current.title !== "New chat")) return;
        current.title = question.replace(/\s+/g, " ").slice(0, 60);
        this.update(this.conversations, this.activeId);
    }

    openPopup(): void {
        this.popup.hidden = false;
        this.button.setAttribute("aria-expanded", "true");
        this.filter.value = "";
        this.highlighted = Math.max(
            0,
            this.conversations.findIndex((c) => c.id === this.activeId)
        );
        this.renderList();
        this.filter.focus();
    }

    close(returnFocus: boolean): void {
        this.popup.hidden = true;
        this.button.setAttribute("aria-expanded", "false");
        if (returnFocus) this.button.focus();
    }

    private onKey(event: KeyboardEvent): void {
        const count = this.shown.length;
        const move = (to: number) => {
            event.preventDefault();
            this.highlighted = count === 0 ? 0 : (to + count) % count;
            this.renderList();
        };
        switch (event.key) {
            case "ArrowDown":
                move(this.highlighted + 1);
                return;
            case "ArrowUp":
                move(this.highlighted - 1);
                return;
            case "Home":
                if (!this.filter.value) move(0);
                return;
            case "End":
                if (!this.filter.value) move(count - 1);
                return;
            case "Enter": {
                event.preventDefault();
                const picked = this.shown[this.highlighted];
                if (picked) this.actions.open(picked.id);
                this.close(true);
                return;
            }
            case "Delete": {
                const picked = this.shown[this.highlighted];
                if (!picked) return;
                event.preventDefault();
                this.actions.remove(picked.id);
                return;
            }
            case "Escape":
                event.preventDefault();
                event.stopPropagation();
                this.close(true);
                return;
            case "Tab":
                this.close(false);
                return;
        }
    }

    private renderList(): void {
        const query = this.filter.value.trim().toLowerCase();
        this.shown = this.conversations.filter((c) =>
            (c.title || "New chat").toLowerCase().includes(query)
        );
        this.highlighted = Math.min(this.highlighted, Math.max(0, this.shown.length - 1));
        const now = Date.now();
        this.list.replaceChildren(
            ...this.shown.map((c, index) => {
                const title = c.title || "New chat";
                const remove = iconButton("trash", `Delete “${title}”`, {
                    class: "icon-button history-delete",
                    tabindex: -1
                });
                return el(
                    "li",
                    {
                        id: `history-option-${index}`,
                        class: `history-row${index === this.highlighted ? " highlighted" : ""}${c.id === this.activeId ? " current" : ""}`,
                        role: "option",
                        "aria-selected": String(index === this.highlighted),
                        "data-id": c.id
                    },
                    icon(c.id === this.activeId ? "comment-discussion" : "comment"),
                    el("span", { class: "history-title" }, title),
                    el("span", { class: "history-when" }, relativeTime(c.updated, now)),
                    remove
                );
            })
        );
        if (this.shown.length === 0)
            this.list.append(
                el(
                    "li",
                    {
                        class: "history-empty",
                        role: "option",
                        "aria-disabled": "true",
                        "aria-selected": "false"
                    },
                    "No conversation matches."
                )
            );
        const active = this.shown.length > 0 ? `history-option-${this.highlighted}` : "";
        this.filter.setAttribute("aria-activedescendant", active);
        if (active) document.getElementById(active)?.scrollIntoView({ block: "nearest" });
    }
}

/** "now", "5 min ago", "3 h ago", "yesterday", "4 days ago", or the date. */
export function relativeTime(then: number, now: number): string {
    const minutes = Math.round((now - then) / 60_000);
    if (minutes < 1) return "now";
    if (minutes < 60) return `${minutes} min ago`;
    const hours = Math.round(minutes / 60);
    if (hours < 24) return `${hours} h ago`;
    const days = Math.round(hours / 24);
    if (days === 1) return "yesterday";
    if (days < 7) return `${days} days ago`;
    return new Date(then).toLocaleDateString();
}
