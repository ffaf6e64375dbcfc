/**
 * Renders untrusted model output as Markdown: raw HTML is escaped (never live), links are kept
 * only for http(s) and carry no live href (the click goes through the extension), images become
 * plain links, and code blocks are highlighted with highlight.js and get Copy / Insert / Apply
 * buttons. Pure string in, string out: no DOM, so it runs in node tests too.
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
    } catch { /* fall through to plain text */ }
    return escapeHtml(code);
}

md.renderer.rules.fence = (tokens, index) => {
    const token = tokens[index];
    const lang = token.info.trim().split(/\s+/)[0] ?? "";
    const label = lang ? `<span class="code-lang">${escapeHtml(lang)}</span>` : "";
    const langClass = lang && /^[\w+#.-]+$/.test(lang) ? ` language-${lang}` : "";
    return `<div class="code-block">`
        + `<div class="code-toolbar">${label}`
        + `<button type="button" class="code-action" data-action="copy" title="Copy">Copy</button>`
        + `<button type="button" class="code-action" data-action="insert" title="Insert at cursor">Insert</button>`
        + `<button type="button" class="code-action" data-action="apply" title="Apply to selection (shows a diff first)">Apply</button>`
        + `</div><pre><code class="hljs${langClass}">${highlight(token.content, lang)}</code></pre></div>\n`;
};

md.renderer.rules.code_block = (tokens, index) => `<pre><code class="hljs">${escapeHtml(tokens[index].content)}</code></pre>\n`;

// Links: no live href; the webview asks the extension to open `data-href` after a click.
md.renderer.rules.link_open = (tokens, index) => {
    const href = tokens[index].attrGet("href") ?? "";
    return `<a class="link" role="link" tabindex="0" data-href="${escapeHtml(href)}" title="${escapeHtml(href)}">`;
};

export function renderMarkdown(text: string): string {
    if (text.length > MAX_RENDER_CHARS) {
        return md.render(text.slice(0, MAX_RENDER_CHARS)) + `<p class="note">(The answer is ${text.length} characters long; only the first ${MAX_RENDER_CHARS} are shown.)</p>`;
    }
    return md.render(text);
}

/** Plain text as HTML (thinking, user messages). */
export function renderPlain(text: string): string {
    return escapeHtml(text.length > MAX_RENDER_CHARS ? text.slice(0, MAX_RENDER_CHARS) + "…" : text);
}
