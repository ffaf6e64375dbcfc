/**
 * The transcript: an ARIA feed with one article per message (a role header, the body, and for an
 * answer its actions). A streaming answer re-renders only its own body, at most once per animation
 * frame; earlier turns, the headers and the action bars are never touched while it streams.
 */
import type { TurnView } from "../shared/webviewProtocol";
import { el, icon, iconButton } from "./dom";
import { renderMarkdown, renderPlain } from "./markdown";
import { attachmentChipHtml } from "./references";

export { chipLabel } from "./references";

interface LiveTurn {
    view: TurnView;
    element: HTMLElement;
    body: HTMLElement;
    actions: HTMLElement;
    pending: boolean;
    thinkingStarted?: number;
}

/** Within this many pixels of the end the view follows a streaming answer. */
const FOLLOW_SLACK_PX = 48;

export class Transcript {
    private readonly turns = new Map<string, LiveTurn>();
    showThinking = true;

    constructor(
        private readonly root: HTMLElement,
        private readonly scroller: HTMLElement
    ) {
        root.addEventListener("focusin", (event) => {
            const article = (event.target as HTMLElement).closest<HTMLElement>("article.turn");
            if (article) this.makeCurrent(article);
        });
    }

    get size(): number {
        return this.turns.size;
    }

    clear(): void {
        this.turns.clear();
        this.root.replaceChildren();
    }

    add(view: TurnView): void {
        const follow = this.atEnd();
        const id = `turn-${this.turns.size}-${view.id.replace(/[^\w-]/g, "")}`;
        const header = el(
            "div",
            { class: "turn-header", id: `${id}-h` },
            icon(view.role === "user" ? "account" : "sparkle", "avatar"),
            el("span", { class: "role-name" }, view.role === "user" ? "You" : "Apprentice")
        );
        if (view.role === "assistant" && view.model)
            header.append(el("span", { class: "turn-model", title: view.model }, view.model));
        const body = el("div", { class: "turn-body" });
        const actions = el("div", {
            class: "turn-actions",
            role: "toolbar",
            "aria-label": "Answer actions"
        });
        const element = el(
            "article",
            {
                class: `turn turn-${view.role}`,
                "data-turn-id": view.id,
                "aria-labelledby": `${id}-h`,
                tabindex: -1
            },
            header,
            body
        );
        if (view.role === "assistant") element.append(actions);
        this.root.append(element);
        const live: LiveTurn = { view: { ...view }, element, body, actions, pending: false };
        if (view.state === "streaming") live.thinkingStarted = performance.now();
        this.turns.set(view.id, live);
        this.updatePositions();
        this.render(live);
        if (follow || view.role === "user") this.scrollToEnd();
    }

    append(turnId: string, part: "text" | "thinking", text: string): void {
        const live = this.turns.get(turnId);
        if (!live) return;
        if (part === "thinking") live.view.thinking = (live.view.thinking ?? "") + text;
        else {
            if (
                live.view.thinking &&
                live.view.thinkingMs === undefined &&
                live.thinkingStarted !== undefined
            ) {
                live.view.thinkingMs = Math.round(performance.now() - live.thinkingStarted);
            }
            live.view.text += text;
        }
        this.schedule(live);
    }

    replace(view: TurnView): void {
        const live = this.turns.get(view.id);
        if (!live) {
            this.add(view);
            return;
        }
        const follow = this.atEnd();
        live.view = { ...view };
        this.render(live);
        if (follow) this.scrollToEnd();
    }

    /** The turn's view as the transcript shows it now (streamed pieces included). */
    turn(turnId: string): TurnView | undefined {
        return this.turns.get(turnId)?.view;
    }

    /** The code blocks of a rendered answer, in order. */
    codeBlocks(turnId: string): string[] {
        const body = this.turns.get(turnId)?.body;
        return body
            ? [...body.querySelectorAll(".code-block code")].map((c) => c.textContent ?? "")
            : [];
    }

    /** The last assistant turn, if any (for retry). */
    get lastAssistant(): TurnView | undefined {
        return [...this.turns.values()].reverse().find((t) => t.view.role === "assistant")?.view;
    }

    /** Moves the focus to another message: `"next"`, `"previous"`, `"first"` or `"last"`. Returns false when there is none. */
    focusTurn(which: "next" | "previous" | "first" | "last", from?: HTMLElement): boolean {
        const articles = [...this.root.querySelectorAll<HTMLElement>(":scope > article.turn")];
        if (articles.length === 0) return false;
        const current = from?.closest<HTMLElement>("article.turn");
        const at = current ? articles.indexOf(current) : -1;
        const index =
            which === "first"
                ? 0
                : which === "last"
                  ? articles.length - 1
                  : which === "next"
                    ? at < 0
                        ? 0
                        : at + 1
                    : at < 0
                      ? articles.length - 1
                      : at - 1;
        const target = articles[index];
        if (!target) return false;
        this.makeCurrent(target);
        target.focus();
        return true;
    }

    /** Roving tabindex: one message is in the Tab order, the others are reached with the arrow keys. */
    private makeCurrent(article: HTMLElement): void {
        for (const other of this.root.querySelectorAll<HTMLElement>(
            ':scope > article.turn[tabindex="0"]'
        ))
            other.tabIndex = -1;
        article.tabIndex = 0;
    }

    private updatePositions(): void {
        const articles = this.root.querySelectorAll<HTMLElement>(":scope > article.turn");
        articles.forEach((article, index) => {
            article.setAttribute("aria-posinset", String(index + 1));
            article.setAttribute("aria-setsize", String(articles.length));
        });
        if (!this.root.querySelector(':scope > article.turn[tabindex="0"]') && articles.length > 0)
            articles[articles.length - 1].tabIndex = 0;
    }

    private schedule(live: LiveTurn): void {
        if (live.pending) return;
        live.pending = true;
        requestAnimationFrame(() => {
            live.pending = false;
            const follow = this.atEnd();
            this.renderBody(live);
            if (follow) this.scrollToEnd();
        });
    }

    private atEnd(): boolean {
        const s = this.scroller;
        return s.scrollHeight - s.scrollTop - s.clientHeight <= FOLLOW_SLACK_PX;
    }

    private scrollToEnd(): void {
        this.scroller.scrollTop = this.scroller.scrollHeight;
    }

    private render(live: LiveTurn): void {
        live.element.setAttribute("aria-busy", String(live.view.state === "streaming"));
        live.element.classList.toggle("turn-streaming", live.view.state === "streaming");
        const header = live.element.querySelector(".turn-header");
        const busy = header?.querySelector(".busy");
        if (live.view.state === "streaming" && !busy)
            header?.append(icon("loading", "codicon-modifier-spin busy"));
        else if (live.view.state !== "streaming") busy?.remove();
        this.renderBody(live);
        if (live.view.role === "assistant") this.renderActions(live);
    }

    private renderBody(live: LiveTurn): void {
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
                parts.push(
                    `<details class="thinking"${open}><summary>${label}</summary><div class="thinking-body">${renderPlain(v.thinking)}</div></details>`
                );
            }
            parts.push(`<div class="answer markdown">${renderMarkdown(v.text)}</div>`);
            if (v.state === "streaming" && v.text.length === 0 && !v.thinking)
                parts.push(
                    `<div class="waiting"><span class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true"></span> Working…</div>`
                );
            if (v.note) parts.push(`<div class="note">${renderPlain(v.note)}</div>`);
            if (v.error)
                parts.push(
                    `<div class="error"><span class="codicon codicon-error" aria-hidden="true"></span> ${renderPlain(v.error)}</div>`
                );
        }
        // The HTML comes only from renderMarkdown / renderPlain, which escape everything untrusted.
        live.body.innerHTML = parts.join("");
    }

    /** Copy, Insert, Apply, Regenerate (or Retry after a failure), and the timings; none while streaming. */
    private renderActions(live: LiveTurn): void {
        const v = live.view;
        const children: Node[] = [];
        if (v.state === "interrupted" || v.state === "error") {
            children.push(
                el(
                    "button",
                    { type: "button", class: "text-button retry", "data-action": "retry" },
                    icon("refresh"),
                    "Retry"
                )
            );
        } else if (v.state === "done" || v.state === "stopped") {
            if (v.text.length > 0)
                children.push(iconButton("copy", "Copy answer", { "data-action": "copy-answer" }));
            if (this.codeBlocks(v.id).length > 0) {
                children.push(
                    iconButton("insert", "Insert the answer's code at the cursor", {
                        "data-action": "insert-answer"
                    })
                );
                children.push(
                    iconButton(
                        "git-compare",
                        "Apply the answer's code to the selection (shows a diff first)",
                        { "data-action": "apply-answer" }
                    )
                );
            }
            children.push(
                iconButton("refresh", "Regenerate answer", {
                    "data-action": "regenerate",
                    class: "icon-button regenerate"
                })
            );
        }
        const meta: string[] = [];
        if (v.state === "stopped") meta.push("Stopped.");
        if (v.timings && v.state !== "streaming") {
            const t = v.timings;
            meta.push(
                `${t.generatedTokens} tokens · ${t.tokensPerSecond} tokens/s · first token ${t.timeToFirstTokenMs} ms`
            );
        }
        if (meta.length > 0) children.push(el("span", { class: "meta" }, meta.join(" ")));
        live.actions.replaceChildren(...children);
        live.actions.hidden = children.length === 0;
    }
}
