import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { isSafeLink } from "../../src/shared/webviewProtocol";
import { MAX_RENDER_CHARS, renderMarkdown, renderPlain } from "../../src/webview/markdown";

/**
 * No live HTML survives: every real tag is one the renderer makes, with only its own attributes;
 * a link target is only ever an http(s) `data-href`. Hostile text may remain as escaped text.
 */
const ALLOWED_TAGS = new Set([
    "p",
    "div",
    "span",
    "button",
    "pre",
    "code",
    "a",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "s"
]);
const ALLOWED_ATTRS = new Set([
    "class",
    "type",
    "title",
    "role",
    "tabindex",
    "aria-label",
    "aria-hidden",
    "data-action",
    "data-href",
    "start",
    "style"
]);
function assertInert(html: string): void {
    for (const match of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
        const [, tag, attrs] = match;
        assert.ok(
            ALLOWED_TAGS.has(tag.toLowerCase()),
            `unexpected tag <${tag}> in ${html.slice(0, 300)}`
        );
        for (const attr of attrs.matchAll(/([^\s=]+)(?:="([^"]*)")?/g)) {
            const name = attr[1].toLowerCase();
            assert.ok(
                (ALLOWED_ATTRS.has(name) && name !== "style") || (name === "style" && tag === "td"),
                `unexpected attribute ${name} on <${tag}>`
            );
            if (name === "data-href") assert.match(attr[2] ?? "", /^https?:\/\//i);
        }
    }
    assert.doesNotMatch(html, /<script/i, "no script element");
}

describe("markdown rendering of untrusted model output", () => {
    const hostile = [
        "<script>alert(1)</script>",
        "Hello <img src=x onerror=alert(1)> world",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![img](http://evil.example/x.png)",
        '<a href="javascript:alert(1)">a</a>',
        '<iframe src="http://evil.example"></iframe>',
        "```html\n<script>alert(1)</script><img src=x onerror=alert(1)>\n```",
        '```"><script>alert(1)</script>\nx\n```',
        "<svg onload=alert(1)>",
        "<<script>script>alert(1)<</script>/script>",
        "`<b onmouseover=alert(1)>`"
    ];
    for (const input of hostile) {
        it(`renders inert: ${JSON.stringify(input).slice(0, 60)}`, () =>
            assertInert(renderMarkdown(input)));
    }

    it("keeps HTML inside code blocks as visible text", () => {
        const html = renderMarkdown("```html\n<script>alert(1)</script>\n```");
        assert.match(html, /&lt;/);
        assert.match(html, /class="code-block"/);
        assert.match(html, /data-action="copy"/);
        assert.match(html, /data-action="insert"/);
        assert.match(html, /data-action="apply"/);
    });

    it("keeps http(s) links as click-to-open data-href, drops others", () => {
        assert.match(
            renderMarkdown("[docs](https://example.com/a?b=1)"),
            /data-href="https:\/\/example.com\/a\?b=1"/
        );
        assert.doesNotMatch(renderMarkdown("[x](file:///etc/passwd)"), /data-href/);
        assert.doesNotMatch(renderMarkdown("[x](vscode://foo)"), /data-href/);
        assert.equal(isSafeLink("https://a.b"), true);
        assert.equal(isSafeLink("javascript:alert(1)"), false);
        assert.equal(isSafeLink("http://a b"), false);
    });

    it("highlights code with a known language", () => {
        const html = renderMarkdown("```ts\nconst x: number = 1;\n```");
        assert.match(html, /hljs-keyword/);
        assert.match(html, /language-ts/);
    });

    it("cuts huge output with a note instead of rendering it all", () => {
        const html = renderMarkdown("a".repeat(MAX_RENDER_CHARS + 10));
        assert.match(html, /only the first/);
        assert.ok(html.length < MAX_RENDER_CHARS + 1000);
    });

    it("renders plain text escaped", () => {
        assert.equal(renderPlain("<b>&"), "&lt;b&gt;&amp;");
    });
});
