/**
 * The transcript: one element per turn. A streaming answer re-renders only its own element,
 * at most once per animation frame; earlier turns are never touched.
 */
import type { TurnView } from "../shared/webviewProtocol";
import { renderMarkdown, renderPlain } from "./markdown";
import { attachmentChipHtml } from "./references";

export { chipLabel } from "./references";

interface LiveTurn {
    view: TurnView;
    element: HTMLElement;
    pending: boolean;
    thinkingStarted?: number;
}

export class Transcript {
    private readonly turns = new Map<string, LiveTurn>();
    showThinking = true;

    constructor(private readonly root: HTMLElement) {}

    clear(): void {
        this.turns.clear();
        this.root.replaceChildren();
    }

    add(view: TurnView): void {
        const element = document.createElement("div");
        element.className = `turn turn-${view.role}`;
        element.dataset.turnId = view.id;
        this.root.append(element);
        const live: LiveTurn = { view: { ...view }, element, pending: false };
        if (view.state === "streaming") live.thinkingStarted = performance.now();
        this.turns.set(view.id, live);
        this.render(live);
        this.scrollToEnd();
    }

    append(turnId: string, part: "text" | "thinking", text: string): void {
        const live = this.turns.get(turnId);
        if (!live) return;
        if (part === "thinking") live.view.thinking = (live.view.thinking ?? "") + text;
        else {
            if (live.view.thinking && live.view.thinkingMs === undefined && live.thinkingStarted !== undefined) {
                live.view.thinkingMs = Math.round(performance.now() - live.thinkingStarted);
            }
            live.view.text += text;
        }
        this.schedule(live);
    }

    replace(view: TurnView): void {
        const live = this.turns.get(view.id);
        if (!live) { this.add(view); return; }
        live.view = { ...view };
        this.render(live);
    }

    /** The last assistant turn, if any (for retry). */
    get lastAssistant(): TurnView | undefined {
        return [...this.turns.values()].reverse().find((t) => t.view.role === "assistant")?.view;
    }

    private schedule(live: LiveTurn): void {
        if (live.pending) return;
        live.pending = true;
        requestAnimationFrame(() => {
            live.pending = false;
            this.render(live);
            this.scrollToEnd();
        });
    }

    private scrollToEnd(): void {
        const scroller = this.root.parentElement ?? this.root;
        scroller.scrollTop = scroller.scrollHeight;
    }

    private render(live: LiveTurn): void {
        const v = live.view;
        const parts: string[] = [];
        if (v.role === "user") {
            for (const a of v.attachments ?? []) parts.push(attachmentChipHtml(a));
            parts.push(`<div class="user-text">${renderPlain(v.text)}</div>`);
        } else {
            if (this.showThinking && v.thinking) {
                const answering = v.text.length > 0 || v.state !== "streaming";
                const label = answering
                    ? `Thought${v.thinkingMs !== undefined ? ` for ${(v.thinkingMs / 1000).toFixed(1)} s` : ""}`
                    : "Thinking…";
                const open = answering ? "" : " open";
                parts.push(`<details class="thinking"${open}><summary>${label}</summary><div class="thinking-body">${renderPlain(v.thinking)}</div></details>`);
            }
            parts.push(`<div class="answer markdown">${renderMarkdown(v.text)}</div>`);
            if (v.state === "streaming" && v.text.length === 0 && !v.thinking) parts.push(`<div class="waiting">…</div>`);
            if (v.note) parts.push(`<div class="note">${renderPlain(v.note)}</div>`);
            if (v.error) parts.push(`<div class="error">${renderPlain(v.error)}</div>`);
            if (v.state === "interrupted" || v.state === "error") parts.push(`<button type="button" class="retry" data-action="retry">Retry</button>`);
            if (v.state === "stopped") parts.push(`<div class="meta">Stopped.</div>`);
            if (v.timings && v.state !== "streaming") {
                const t = v.timings;
                parts.push(`<div class="meta">${t.generatedTokens} tokens · ${t.tokensPerSecond} tokens/s · first token ${t.timeToFirstTokenMs} ms</div>`);
            }
        }
        // The HTML comes only from renderMarkdown / renderPlain, which escape everything untrusted.
        live.element.innerHTML = parts.join("");
    }
}
