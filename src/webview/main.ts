/** The chat webview's entry point: builds the view from its parts, routes messages, handles clicks and keys. */
import { parseToWebview, type ToWebview, type TurnView } from "../shared/webviewProtocol";
import { Composer } from "./composer";
import { el } from "./dom";
import { HistoryPicker } from "./historyPicker";
import { MentionPicker } from "./mentionPicker";
import { ModelStatus } from "./modelStatus";
import { referenceClick } from "./references";
import { Transcript } from "./transcript";
import { loadState, post, saveState } from "./vscodeApi";
import { Welcome } from "./welcome";

let generating = false;

const history = new HistoryPicker({
    open: (id) => post({ type: "openConversation", id }),
    remove: (id) => post({ type: "deleteConversation", id })
});
const composer = new Composer({
    send: (text) => post({ type: "send", text }),
    stop: () => post({ type: "stop" }),
    attachFile: () => post({ type: "attachFile" }),
    removeAttachment: (index) => post({ type: "removeAttachment", index }),
    chooseModel: () => post({ type: "chooseModel" }),
    focusTranscript: () => {
        transcript.focusTurn("last");
    },
    draftChanged: (draft) => saveState({ draft })
});
const model = new ModelStatus(composer.modelIndicator, () => post({ type: "pickModel" }));
const welcome = new Welcome(
    (id) => post({ type: "starter", id }),
    () => composer.focus()
);
const feed = el("div", {
    id: "transcript",
    class: "transcript",
    role: "feed",
    "aria-label": "Conversation",
    "aria-busy": "false"
});
const scroller = el(
    "main",
    { id: "scroller", class: "scroller" },
    model.banner,
    welcome.element,
    feed
);
/** Says what happens for screen readers (the streaming text itself is not read out piece by piece). */
const announcer = el("div", {
    id: "announcer",
    class: "sr-only",
    role: "status",
    "aria-live": "polite"
});
const header = el("header", { class: "header" }, history.element);
document.body.replaceChildren(header, scroller, composer.element, announcer);
const transcript = new Transcript(feed, scroller);
// Typing `@` in the message box opens the picker; it takes arrows, Enter, Tab and Escape while open.
const picker = new MentionPicker(composer.input, composer.element, post);
composer.value = loadState().draft;

function setGenerating(value: boolean): void {
    generating = value;
    composer.setGenerating(value);
    feed.setAttribute("aria-busy", String(value));
}

function showWelcome(): void {
    welcome.hidden = transcript.size > 0;
    welcome.showModel(model.readyName);
}

function announce(text: string): void {
    announcer.textContent = text;
}

function ended(turn: TurnView): string {
    switch (turn.state) {
        case "stopped":
            return "Apprentice stopped.";
        case "error":
        case "interrupted":
            return `Apprentice could not answer. ${turn.error ?? ""}`;
        default:
            return "Apprentice answered.";
    }
}

function handle(message: ToWebview): void {
    switch (message.type) {
        case "conversation":
            transcript.clear();
            for (const turn of message.turns) transcript.add(turn);
            history.update(message.conversations, message.id);
            setGenerating(message.turns.some((t) => t.state === "streaming"));
            showWelcome();
            return;
        case "model":
            model.show(message.model);
            showWelcome();
            return;
        case "settings":
            transcript.showThinking = message.showThinking;
            return;
        case "attachments":
            composer.setAttachments(message.attachments);
            return;
        case "turnStarted":
            transcript.add(message.user);
            transcript.add(message.assistant);
            history.nameNewConversation(message.user.text);
            showWelcome();
            setGenerating(true);
            announce("Apprentice is answering…");
            return;
        case "delta":
            transcript.append(message.turnId, message.part, message.text);
            return;
        case "turnEnded":
            transcript.replace(message.turn);
            setGenerating(false);
            announce(ended(message.turn));
            return;
        case "mentionItems":
            picker.show(message.query, message.items);
            return;
        case "focusInput":
            composer.focus(message.text);
            return;
        case "showHistory":
            history.openPopup();
            return;
    }
}

window.addEventListener("message", (event: MessageEvent<unknown>) => {
    let message: ToWebview;
    try {
        message = parseToWebview(event.data);
    } catch (error) {
        console.error(`Apprentice chat: rejected a message: ${(error as Error).message}`);
        return;
    }
    handle(message);
});

// Escape anywhere stops a running answer; in the transcript (with nothing running) it goes back to the message box.
document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.target === composer.input || event.defaultPrevented) return;
    if (generating) post({ type: "stop" });
    else if (feed.contains(event.target as Node)) composer.focus();
});

// Keys in the transcript (the ARIA feed pattern): Page Up/Down and, on a message, the arrows, Home and End move between messages.
feed.addEventListener("keydown", (event) => {
    const target = event.target as HTMLElement;
    const onArticle = target.matches("article.turn");
    const which =
        event.key === "PageDown" || (onArticle && event.key === "ArrowDown")
            ? "next"
            : event.key === "PageUp" || (onArticle && event.key === "ArrowUp")
              ? "previous"
              : onArticle && event.key === "Home"
                ? "first"
                : onArticle && event.key === "End"
                  ? "last"
                  : undefined;
    if (!which) return;
    event.preventDefault();
    transcript.focusTurn(which, target);
});

/** A short confirmation on an icon button (Copy → Copied), then back. */
function confirm(button: HTMLElement, label: string): void {
    const before = button.getAttribute("aria-label") ?? "";
    const iconElement = button.querySelector(".codicon");
    const iconClass = iconElement?.className ?? "";
    button.setAttribute("aria-label", label);
    button.title = label;
    if (iconElement) iconElement.className = "codicon codicon-check";
    setTimeout(() => {
        button.setAttribute("aria-label", before);
        button.title = before;
        if (iconElement) iconElement.className = iconClass;
    }, 1500);
}

// Clicks inside the transcript: code and answer actions, links (opened by the extension, http(s) only), retry.
feed.addEventListener("click", (event) => {
    const target = event.target as HTMLElement;
    const reference = referenceClick(target);
    if (reference) {
        post(reference);
        return;
    }
    const action = target.closest<HTMLElement>("[data-action]");
    if (action) {
        const kind = action.dataset.action;
        const turnId = action.closest<HTMLElement>("article.turn")?.dataset.turnId ?? "";
        const answerCode = () => transcript.codeBlocks(turnId).join("\n");
        switch (kind) {
            case "retry":
                post({ type: "retry" });
                return;
            case "regenerate":
                post({ type: "regenerate" });
                return;
            case "copy-answer":
                post({ type: "copy", text: transcript.turn(turnId)?.text ?? "" });
                confirm(action, "Copied");
                return;
            case "insert-answer":
                post({ type: "insert", text: answerCode() });
                return;
            case "apply-answer":
                post({ type: "apply", text: answerCode() });
                return;
        }
        const code = action.closest(".code-block")?.querySelector("code")?.textContent ?? "";
        if (kind === "copy") {
            post({ type: "copy", text: code });
            confirm(action, "Copied");
        } else if (kind === "insert") post({ type: "insert", text: code });
        else if (kind === "apply") post({ type: "apply", text: code });
        return;
    }
    const link = target.closest<HTMLElement>("a[data-href]");
    if (link) {
        event.preventDefault();
        post({ type: "openLink", href: link.dataset.href ?? "" });
    }
});

// Links are not real anchors: Enter on one opens it, as a click does.
feed.addEventListener("keydown", (event) => {
    const link = (event.target as HTMLElement).closest<HTMLElement>("a[data-href]");
    if (link && event.key === "Enter") {
        event.preventDefault();
        post({ type: "openLink", href: link.dataset.href ?? "" });
    }
});

post({ type: "ready" });
