/** The chat webview's entry point: builds the view, routes messages, handles input and clicks. */
import type { ChatAttachment } from "../shared/chatProtocol";
import { parseToWebview, type ModelLine, type ToWebview } from "../shared/webviewProtocol";
import { MentionPicker } from "./mentionPicker";
import { referenceClick } from "./references";
import { chipLabel, Transcript } from "./transcript";
import { loadState, post, saveState } from "./vscodeApi";

const SKELETON = `
<header class="header">
  <span id="model-line" class="model-line"></span>
  <button type="button" id="pick-model" class="secondary" hidden>Choose Model…</button>
  <span class="spacer"></span>
  <select id="history" title="Past conversations" aria-label="Past conversations"></select>
  <button type="button" id="delete-chat" class="icon" title="Delete this conversation" aria-label="Delete this conversation">Delete</button>
  <button type="button" id="new-chat" title="New chat" aria-label="New chat">New Chat</button>
</header>
<main id="scroller" class="scroller"><div id="transcript" class="transcript" role="log" aria-live="polite"></div>
  <div id="empty" class="empty">Ask about your code. Select code in the editor and use <em>Apprentice: Ask About Selection</em> to attach it.</div>
</main>
<footer class="composer">
  <div id="chips" class="chips"></div>
  <textarea id="input" rows="3" aria-label="Message" placeholder="Ask about your code (Enter to send, Shift+Enter for a new line, Escape to stop)"></textarea>
  <div class="actions">
    <button type="button" id="attach" class="secondary" title="Attach the current file">Attach File</button>
    <span class="spacer"></span>
    <button type="button" id="stop" class="secondary" hidden>Stop</button>
    <button type="button" id="send">Send</button>
  </div>
</footer>`;

document.body.innerHTML = SKELETON;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = $<HTMLTextAreaElement>("input");
const sendButton = $<HTMLButtonElement>("send");
const stopButton = $<HTMLButtonElement>("stop");
const modelLine = $<HTMLSpanElement>("model-line");
const pickModel = $<HTMLButtonElement>("pick-model");
const history = $<HTMLSelectElement>("history");
const chips = $<HTMLDivElement>("chips");
const empty = $<HTMLDivElement>("empty");
const transcript = new Transcript($<HTMLDivElement>("transcript"));
const picker = new MentionPicker(input, document.querySelector<HTMLElement>(".composer")!, post);

let generating = false;
let activeConversation = "";
const state = loadState();
input.value = state.draft;

function setGenerating(value: boolean): void {
    generating = value;
    stopButton.hidden = !value;
    sendButton.disabled = value;
}

function send(): void {
    const text = input.value.trim();
    if (!text || generating) return;
    post({ type: "send", text });
    input.value = "";
    saveState({ draft: "" });
}

function showModel(model: ModelLine): void {
    modelLine.textContent = model.state === "ready" ? `${model.name}${model.template ? ` · ${model.template}` : ""}` : model.message;
    modelLine.title = modelLine.textContent;
    modelLine.className = `model-line model-${model.state}`;
    pickModel.hidden = !(model.state === "unavailable" && model.canPick);
}

function showChips(attachments: ChatAttachment[]): void {
    chips.replaceChildren(...attachments.map((a, index) => {
        const chip = document.createElement("span");
        chip.className = "chip";
        chip.title = `${a.languageId}, ${a.text.length} characters`;
        chip.textContent = chipLabel(a);
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", `Remove ${chipLabel(a)}`);
        remove.addEventListener("click", () => post({ type: "removeAttachment", index }));
        chip.append(remove);
        return chip;
    }));
}

function handle(message: ToWebview): void {
    switch (message.type) {
        case "conversation": {
            activeConversation = message.id;
            transcript.clear();
            for (const turn of message.turns) transcript.add(turn);
            empty.hidden = message.turns.length > 0;
            history.replaceChildren(...message.conversations.map((c) => {
                const option = document.createElement("option");
                option.value = c.id;
                option.textContent = c.title || "New chat";
                option.selected = c.id === activeConversation;
                return option;
            }));
            setGenerating(message.turns.some((t) => t.state === "streaming"));
            return;
        }
        case "model": showModel(message.model); return;
        case "settings":
            transcript.showThinking = message.showThinking;
            return;
        case "attachments": showChips(message.attachments); return;
        case "turnStarted":
            empty.hidden = true;
            transcript.add(message.user);
            transcript.add(message.assistant);
            setGenerating(true);
            return;
        case "delta": transcript.append(message.turnId, message.part, message.text); return;
        case "turnEnded":
            transcript.replace(message.turn);
            setGenerating(false);
            return;
        case "mentionItems": picker.show(message.query, message.items); return;
        case "focusInput":
            if (message.text !== undefined && input.value.trim().length === 0) input.value = message.text;
            input.focus();
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

input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        send();
    } else if (event.key === "Escape" && generating) {
        event.preventDefault();
        post({ type: "stop" });
    }
});
input.addEventListener("input", () => saveState({ draft: input.value }));
document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && generating && event.target !== input) post({ type: "stop" });
});
sendButton.addEventListener("click", send);
stopButton.addEventListener("click", () => post({ type: "stop" }));
$("attach").addEventListener("click", () => post({ type: "attachFile" }));
$("new-chat").addEventListener("click", () => post({ type: "newChat" }));
$("delete-chat").addEventListener("click", () => { if (activeConversation) post({ type: "deleteConversation", id: activeConversation }); });
pickModel.addEventListener("click", () => post({ type: "pickModel" }));
history.addEventListener("change", () => post({ type: "openConversation", id: history.value }));

// Clicks inside the transcript: code actions, links (opened by the extension, http(s) only), retry.
$("transcript").addEventListener("click", (event) => {
    const target = event.target as HTMLElement;
    const reference = referenceClick(target);
    if (reference) { post(reference); return; }
    const action = target.closest<HTMLElement>("[data-action]");
    if (action) {
        const kind = action.dataset.action;
        if (kind === "retry") { post({ type: "retry" }); return; }
        const code = action.closest(".code-block")?.querySelector("code")?.textContent ?? "";
        if (kind === "copy") {
            post({ type: "copy", text: code });
            action.textContent = "Copied";
            setTimeout(() => { action.textContent = "Copy"; }, 1500);
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

post({ type: "ready" });
