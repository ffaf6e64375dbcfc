/**
 * The welcome view, shown while the conversation is empty: which model answers, what it can do,
 * the key bindings, and starters that run the chat commands on the editor's selection.
 */
import type { StarterId } from "../shared/webviewProtocol";
import { el, icon } from "./dom";

const STARTER_BUTTONS: { id: StarterId; icon: string; label: string }[] = [
    { id: "explain", icon: "book", label: "Explain selection" },
    { id: "findBugs", icon: "bug", label: "Find bugs in selection" },
    { id: "writeTests", icon: "beaker", label: "Write tests for selection" },
    { id: "document", icon: "note", label: "Document selection" }
];

const isMac = /Mac|iPhone|iPad/.test(navigator.userAgent);
const MOD = isMac ? "⌘" : "Ctrl";

/** Key bindings as [keys, what they do]; the keys match package.json's keybindings. */
const KEYS: [string[], string][] = [
    [[MOD, isMac ? "⌥" : "Alt", "L"], "Ask about the selection"],
    [[MOD, isMac ? "⌥" : "Alt", "I"], "Focus the message box"],
    [["Enter"], "Send"],
    [["Shift", "Enter"], "New line"],
    [["Esc"], "Stop the answer"],
    [[MOD, "↑"], "Go to the last message"]
];

export class Welcome {
    readonly element: HTMLElement;
    private readonly model: HTMLElement;

    constructor(onStarter: (id: StarterId) => void, onAsk: () => void) {
        this.model = el("p", { class: "welcome-model" });
        const starters = el(
            "div",
            { class: "starters", role: "group", "aria-label": "Start with" },
            ...STARTER_BUTTONS.map((s) => {
                const button = el(
                    "button",
                    { type: "button", class: "starter", "data-starter": s.id },
                    icon(s.icon),
                    el("span", {}, s.label)
                );
                button.addEventListener("click", () => onStarter(s.id));
                return button;
            })
        );
        const ask = el(
            "button",
            { type: "button", class: "starter" },
            icon("comment-discussion"),
            el("span", {}, "Ask a question")
        );
        ask.addEventListener("click", onAsk);
        starters.append(ask);
        const keys = el(
            "dl",
            { class: "keys", "aria-label": "Key bindings" },
            ...KEYS.flatMap(([combo, what]) => [
                el(
                    "dt",
                    {},
                    ...combo.flatMap((k, i) =>
                        i === 0 ? [el("kbd", {}, k)] : ["+", el("kbd", {}, k)]
                    )
                ),
                el("dd", {}, what)
            ])
        );
        this.element = el(
            "section",
            { id: "welcome", class: "welcome", "aria-labelledby": "welcome-title" },
            el("div", { class: "welcome-icon" }, icon("sparkle")),
            el("h2", { id: "welcome-title" }, "Ask Apprentice"),
            this.model,
            el(
                "ul",
                { class: "welcome-can" },
                el("li", {}, "Explains, reviews and documents the code you select"),
                el("li", {}, "Writes fixes and tests you can insert, or apply after a diff"),
                el("li", {}, "Answers questions about an attached file")
            ),
            starters,
            el("h3", {}, "Keys"),
            keys
        );
        this.showModel(undefined);
    }

    set hidden(value: boolean) {
        this.element.hidden = value;
    }

    showModel(name: string | undefined): void {
        this.model.replaceChildren(
            ...(name
                ? [
                      "Answers come from ",
                      el("strong", {}, name),
                      ", running on this machine. Nothing you type leaves it."
                  ]
                : [
                      "Answers come from a model running on this machine. Nothing you type leaves it."
                  ])
        );
    }
}
