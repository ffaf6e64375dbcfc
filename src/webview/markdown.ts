/**
 * Renders untrusted model output as Markdown: raw HTML is escaped (never live), links are kept
 * only for http(s) and carry no live href (the click goes through the extension), images become
 * plain links, and code blocks are highlighted with highlight.js and get Copy / Insert / Apply
 * icon buttons (codicons). Pure string in, string out: no DOM, so it runs in node tests too.
 */
import hljs from "highlight.js/lib/common";
import MarkdownIt from "markdown-it";
import { isSafeLink } from "../shared/webviewProtocol";

/** Longest text rendered as Markdown; more is cut with a note (huge outputs must not freeze the view). */
export const MAX_RENDER_CHARS = 200_000;

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
md.disable(["image"]);

md.validateLink = isSafeLink;

const escapeHtml = md.utils.escapeHtml;

function highlight(code: string, lang: string): string {
    const language = lang && hljs.getLanguage(lang) ? lang : undefined;
    try {
        if (language) return hljs.highlight(code, { language, ignoreIllegals: true }).value;
        if (code.length < 20_000) return hljs.highlightAuto(code).value;
    } catch {
        /* fall through to plain text */
    }
    return escapeHtml(code);
}

/** One icon button of a code block's toolbar (accessible name = tooltip). */
function codeAction(action: string, iconName: string, label: string): string {
    return (
        `<button type="button" class="icon-button code-action" data-action="${action}" title="${label}" aria-label="${label}">` +
        `<span class="codicon codicon-${iconName}" aria-hidden="true"></span></button>`
    );
}

md.renderer.rules.fence = (tokens, index) => {
    const token = tokens[index];
    const lang = token.info.trim().split(/\s+/)[0] ?? "";
    const label = `<span class="code-lang">${escapeHtml(lang || "code")}</span>`;
    const langClass = lang && /^[\w+#.-]+$/.test(lang) ? ` language-${lang}` : "";
    return (
        `<div class="code-block">` +
        `<div class="code-toolbar" role="toolbar" aria-label="${escapeHtml(lang ? `${lang} code` : "Code")}">${label}` +
        codeAction("copy", "copy", "Copy") +
        codeAction("insert", "insert", "Insert at cursor") +
        codeAction("apply", "git-compare", "Apply to selection (shows a diff first)") +
        `</div><pre><code class="hljs${langClass}">${highlight(token.content, lang)}</code></pre></div>\n`
    );
};

md.renderer.rules.code_block = (tokens, index) =>
    `<pre><code class="hljs">${escapeHtml(tokens[index].content)}</code></pre>\n`;

// Links: no live href; the webview asks the extension to open `data-href` after a click.
md.renderer.rules.link_open = (tokens, index) => {
    const href = tokens[index].attrGet("href") ?? "";
    return `<a class="link" role="link" tabindex="0" data-href="${escapeHtml(href)}" title="${escapeHtml(href)}">`;
};

export function renderMarkdown(text: string): string {
    if (text.length > MAX_RENDER_CHARS) {
        return (
            md.render(text.slice(0, MAX_RENDER_CHARS)) +
            `<p class="note">(The answer is ${text.length} characters long; only the first ${MAX_RENDER_CHARS} are shown.)</p>`
        );
    }
    return md.render(text);
}

/** Plain text as HTML (thinking, user messages). */
export function renderPlain(text: string): string {
    return escapeHtml(
        text.length > MAX_RENDER_CHARS ? text.slice(0, MAX_RENDER_CHARS) + "…" : text
    );
}
