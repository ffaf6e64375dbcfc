/**
 * The @-picker of the chat input: typing `@` opens a list of what can be mentioned (from the
 * extension), typing more filters it, ↑/↓ move, Enter or Tab chooses, Escape closes. A chosen item
 * leaves the input (the `@word` is removed) and becomes a chip. Accessible as a combobox/listbox.
 */
import { mentionAtCaret, type MentionItem } from "../shared/mentions";
import type { FromWebview } from "../shared/webviewProtocol";

const QUERY_DELAY_MS = 40;
/** VS Code's codicons for each kind of mention. */
const ICONS: Record<MentionItem["kind"], string> = {
    workspace: "search",
    problems: "warning",
    changes: "git-compare",
    editor: "file-code",
    file: "file",
    symbol: "symbol-method"
};

export class MentionPicker {
    private readonly list: HTMLUListElement;
    private items: MentionItem[] = [];
    private active = 0;
    private open = false;
    private query: { start: number; query: string } | undefined;
    private timer: number | undefined;
    /** The query the shown items answer (undefined while waiting for the first answer). */
    private answered: string | undefined;

    constructor(
        private readonly input: HTMLTextAreaElement,
        host: HTMLElement,
        private readonly post: (message: FromWebview) => void
    ) {
        this.list = document.createElement("ul");
        this.list.id = "mention-picker";
        this.list.className = "mention-picker";
        this.list.setAttribute("role", "listbox");
        this.list.setAttribute(
            "aria-label",
            "Mention a file, symbol, problems, changes or the workspace"
        );
        this.list.hidden = true;
        host.prepend(this.list);
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-controls", this.list.id);
        input.setAttribute("aria-expanded", "false");
        input.addEventListener("input", () => this.onInput());
        input.addEventListener("blur", () =>
            setTimeout(() => {
                if (document.activeElement !== input) this.close();
            }, 150)
        );
        // Capture on the document: runs before the input's own Enter/Escape handlers.
        document.addEventListener("keydown", (event) => this.onKey(event), true);
        this.list.addEventListener("mousedown", (event) => {
            const option = (event.target as HTMLElement).closest<HTMLElement>("[data-index]");
            if (!option) return;
            event.preventDefault();
            this.choose(Number(option.dataset.index));
        });
    }

    get isOpen(): boolean {
        return this.open;
    }

    /** Items the extension found for a query; ignored when the user has typed on since. */
    show(query: string, items: MentionItem[]): void {
        if (!this.query || this.query.query !== query) return;
        this.items = items;
        this.active = 0;
        this.answered = query;
        this.render();
    }

    private onInput(): void {
        const found = mentionAtCaret(
            this.input.value,
            this.input.selectionStart ?? this.input.value.length
        );
        if (!found) {
            this.close();
            return;
        }
        this.query = found;
        if (!this.open) {
            this.open = true;
            this.items = [];
            this.answered = undefined;
            this.render();
        }
        clearTimeout(this.timer);
        this.timer = window.setTimeout(
            () => this.post({ type: "mentionQuery", query: found.query }),
            QUERY_DELAY_MS
        );
    }

    private onKey(event: KeyboardEvent): void {
        if (!this.open || event.target !== this.input || event.isComposing) return;
        const handled = () => {
            event.preventDefault();
            event.stopImmediatePropagation();
        };
        switch (event.key) {
            case "ArrowDown":
                handled();
                if (this.items.length) {
                    this.active = (this.active + 1) % this.items.length;
                    this.render();
                }
                return;
            case "ArrowUp":
                handled();
                if (this.items.length) {
                    this.active = (this.active - 1 + this.items.length) % this.items.length;
                    this.render();
                }
                return;
            case "Enter":
            case "Tab":
                if (event.shiftKey || this.items.length === 0) return;
                handled();
                this.choose(this.active);
                return;
            case "Escape":
                handled();
                this.close();
                return;
        }
    }

    private choose(index: number): void {
        const item = this.items[index];
        const query = this.query;
        if (!item || !query) return;
        const value = this.input.value;
        const end = query.start + 1 + query.query.length;
        this.input.value = value.slice(0, query.start) + value.slice(end).replace(/^ /, "");
        this.input.setSelectionRange(query.start, query.start);
        this.input.dispatchEvent(new Event("input"));
        this.post({ type: "mention", id: item.id });
        this.close();
    }

    private close(): void {
        clearTimeout(this.timer);
        this.open = false;
        this.query = undefined;
        this.items = [];
        this.answered = undefined;
        this.render();
    }

    private render(): void {
        this.list.hidden = !this.open;
        if (this.answered === undefined) delete this.list.dataset.query;
        else this.list.dataset.query = this.answered;
        this.input.setAttribute("aria-expanded", String(this.open));
        if (!this.open) {
            this.input.removeAttribute("aria-activedescendant");
            this.list.replaceChildren();
            return;
        }
        if (this.items.length === 0) {
            const empty = document.createElement("li");
            empty.className = "mention-empty";
            empty.textContent =
                this.answered === undefined ? "Searching…" : "Nothing to mention matches";
            this.list.replaceChildren(empty);
            this.input.removeAttribute("aria-activedescendant");
            return;
        }
        this.list.replaceChildren(
            ...this.items.map((item, index) => {
                const option = document.createElement("li");
                option.id = `mention-option-${index}`;
                option.className = `mention-option mention-${item.kind}`;
                option.dataset.index = String(index);
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", String(index === this.active));
                const icon = document.createElement("span");
                icon.className = `mention-icon codicon codicon-${ICONS[item.kind] ?? "symbol-misc"}`;
                icon.setAttribute("aria-hidden", "true");
                const label = document.createElement("span");
                label.className = "mention-label";
                label.textContent = item.label;
                const description = document.createElement("span");
                description.className = "mention-description";
                description.textContent = item.description;
                option.append(icon, label, description);
                return option;
            })
        );
        this.input.setAttribute("aria-activedescendant", `mention-option-${this.active}`);
        this.list.querySelector(`[aria-selected="true"]`)?.scrollIntoView({ block: "nearest" });
    }
}
