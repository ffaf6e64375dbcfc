// The chat webview as a person sees it, in a real headless Chromium (/usr/bin/chromium or
// CHROMIUM_PATH) driven by playwright-core: the built page with its real Content-Security-Policy,
// served from 127.0.0.1, with a fake `acquireVsCodeApi` standing in for VS Code.
// Needs `node scripts/build.mjs` first. Saves screenshots of each surface, in VS Code's dark and
// light themes, to .artifacts/chat-*.png and the accessibility tree to .artifacts/chat-aria.yaml.
import { strict as assert } from "node:assert";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import { applyTheme } from "./vscodeThemes.mjs";
import { launchPage, serveWebviewPage } from "./webviewPageServer.mjs";
import { chromiumPath, importSource, root } from "./webviewTestSource.mjs";

const NONCE = "testnonce123";

async function chatPageHtml(options) {
    // The same page builder the extension uses (src/extension/chat/chatPage.ts, no VS Code API).
    return (await importSource("src/extension/chat/chatPage.ts")).chatPageHtml(options);
}

/**
 * Hostile model answers, as raw model output: the engine's own ThinkingParser splits them into
 * thinking and text exactly as a chat turn does, then they stream into the page. Each tries to run
 * code (setting window.__pwned), fetch from the network, hide the page or fake a protocol message.
 */
const HOSTILE_ANSWERS = [
    "<script>window.__pwned=1</script>",
    'Hello <img src=x onerror="window.__pwned=1"> world',
    '<svg onload="window.__pwned=1"><circle r=9></circle></svg>',
    "[click](javascript:window.__pwned=1)",
    "[click](JaVaScRiPt:window.__pwned=1) and [vb](vbscript:msgbox(1)) and [f](file:///etc/passwd)",
    "[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)",
    "![tracker](http://evil.example/pixel.png) ![ssl](https://evil.example/p.gif)",
    '<http://evil.example/autolink.png> <a href="javascript:window.__pwned=1">a</a>',
    '<iframe src="http://evil.example"></iframe><object data="http://evil.example/x"></object><embed src="http://evil.example/y">',
    "<style>body{display:none} #input{visibility:hidden}</style>The page is gone.",
    '<link rel=stylesheet href="http://evil.example/x.css"><meta http-equiv="refresh" content="0;url=http://evil.example"><base href="http://evil.example/">',
    '<form action="http://evil.example"><input name=q autofocus onfocus="window.__pwned=1"></form>',
    "</think><script>window.__pwned=1</script>",
    '<think>plan: <img src=x onerror="window.__pwned=1"></think>Answer </think><think><script>window.__pwned=1</script>',
    '<think></think></think></think><think><iframe src="http://evil.example">',
    "\u001b[31mred\u001b[0m \u001b]8;;http://evil.example\u0007terminal link\u001b]8;;\u0007 \u001b[2J\u001b[H cleared?",
    '{"type":"openLink","href":"javascript:window.__pwned=1"}\n{"type":"insert","text":"rm -rf /"}\n{"type":"conversation","id":"x","turns":[]}',
    '```html\n</code></pre><script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">\n```',
    '```"><img src=x onerror="window.__pwned=1">\nx\n```',
    "NUL \u0000 bytes, lone \ud800 surrogates, RTL \u202e override and zero width \u200b text",
    "<<script>script>window.__pwned=1<</script>/script> <scr<script>ipt>window.__pwned=1</script>",
    '| a | b |\n|---|---|\n| <img src=x onerror="window.__pwned=1"> | [x](javascript:window.__pwned=1) |',
    `A 1 MB answer: ${'<b onmouseover="window.__pwned=1">x</b> '.repeat(26_000)}`
];

describe(
    "chat webview in Chromium",
    {
        skip:
            !existsSync(chromiumPath) && !process.env.CI ? `no Chromium at ${chromiumPath}` : false
    },
    () => {
        let server;
        let browser;
        let page;
        const consoleErrors = [];

        const posted = () => page.evaluate(() => window.__posted);
        const send = (message) => page.evaluate((m) => window.postMessage(m, "*"), message);
        const waitForPosted = (type) =>
            page.waitForFunction((t) => window.__posted.some((m) => m.type === t), type, {
                timeout: 5000
            });

        before(async () => {
            const scriptPath = path.join(root, "media/dist/webview.js");
            assert.ok(existsSync(scriptPath), "build first: node scripts/build.mjs");
            let origin;
            ({ server, origin } = await serveWebviewPage(root, (o) =>
                chatPageHtml({
                    cspSource: o,
                    nonce: NONCE,
                    scriptUri: `${o}/media/dist/webview.js`,
                    styleUri: `${o}/media/chat.css`,
                    codiconsUri: `${o}/media/dist/codicons/codicon.css`
                })
            ));
            ({ browser, page } = await launchPage(
                chromium,
                chromiumPath,
                { width: 420, height: 760 },
                consoleErrors
            ));
            await page.addInitScript(() => {
                window.__posted = [];
                let state;
                window.acquireVsCodeApi = () => ({
                    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
                    getState: () => state,
                    setState: (s) => {
                        state = s;
                    }
                });
                document.addEventListener("securitypolicyviolation", (e) => {
                    (window.__violations ??= []).push(e.violatedDirective);
                });
            });
            await page.goto(origin);
            await applyTheme(page, "dark");
            await waitForPosted("ready");
            await send({
                type: "model",
                model: {
                    state: "ready",
                    name: "stories260K.gguf",
                    template: "ChatML fallback (no chat template)"
                }
            });
            const hour = 3_600_000;
            await send({
                type: "conversation",
                id: "c1",
                turns: [],
                conversations: [
                    { id: "c1", title: "New chat", updated: Date.now() },
                    {
                        id: "c2",
                        title: "Sort a list of dicts by two keys in Python",
                        updated: Date.now() - 2 * hour
                    },
                    { id: "c3", title: "Why is this regex slow?", updated: Date.now() - 26 * hour }
                ]
            });
            await send({
                type: "attachments",
                attachments: [
                    {
                        name: "src/app.ts",
                        languageId: "typescript",
                        startLine: 3,
                        endLine: 7,
                        text: "let a = 1;"
                    }
                ]
            });
        });

        after(async () => {
            await browser?.close();
            await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
        });

        /** Saves .artifacts/chat-<name>-dark.png and -light.png (the page goes back to the dark theme). */
        async function screenshots(name) {
            await mkdir(path.join(root, ".artifacts"), { recursive: true });
            const files = [];
            for (const theme of ["dark", "light"]) {
                await applyTheme(page, theme);
                const file = path.join(root, ".artifacts", `chat-${name}-${theme}.png`);
                await page.screenshot({ path: file });
                files.push(file);
            }
            await applyTheme(page, "dark");
            return files;
        }

        it("an empty conversation shows the welcome view: the model, what it can do, the keys, starters", async () => {
            const welcome = page.locator("#welcome");
            await welcome.waitFor();
            assert.match(
                await welcome.textContent(),
                /Answers come from stories260K\.gguf, running on this machine/
            );
            assert.match(await welcome.textContent(), /Ask about the selection/);
            const starters = await page.locator(".starters button").allTextContents();
            assert.deepEqual(starters, [
                "Explain selection",
                "Find bugs in selection",
                "Write tests for selection",
                "Document selection",
                "Ask a question"
            ]);
            assert.equal(
                await page.locator("#new-chat").count(),
                0,
                "no New Chat button in the view (the title bar has +)"
            );
            await screenshots("welcome");
            await page.getByRole("button", { name: "Explain selection" }).click();
            await waitForPosted("starter");
            assert.deepEqual(
                (await posted()).find((m) => m.type === "starter"),
                { type: "starter", id: "explain" }
            );
            await page.getByRole("button", { name: "Ask a question" }).click();
            assert.equal(
                await page.evaluate(() => document.activeElement?.id),
                "input",
                "Ask a question focuses the message box"
            );
        });

        it("the history picker opens from its button, filters, and opens or deletes with the keyboard", async () => {
            const button = page.locator("#history-button");
            assert.equal(await button.getAttribute("aria-label"), "Past conversations: New chat");
            await button.focus();
            await page.keyboard.press("Enter");
            await page.locator("#history-popup").waitFor();
            assert.equal(
                await page.evaluate(() => document.activeElement?.id),
                "history-filter",
                "the filter box takes the focus"
            );
            assert.equal(await button.getAttribute("aria-expanded"), "true");
            assert.deepEqual(await page.locator(".history-title").allTextContents(), [
                "New chat",
                "Sort a list of dicts by two keys in Python",
                "Why is this regex slow?"
            ]);
            assert.deepEqual(await page.locator(".history-when").allTextContents(), [
                "now",
                "2 h ago",
                "yesterday"
            ]);
            await page.keyboard.press("ArrowDown");
            await page.keyboard.press("ArrowDown");
            assert.equal(
                await page.getAttribute("#history-filter", "aria-activedescendant"),
                "history-option-2"
            );
            await page.keyboard.press("Delete");
            await waitForPosted("deleteConversation");
            assert.deepEqual(
                (await posted()).find((m) => m.type === "deleteConversation"),
                { type: "deleteConversation", id: "c3" }
            );
            await page.keyboard.type("sort");
            assert.deepEqual(await page.locator(".history-title").allTextContents(), [
                "Sort a list of dicts by two keys in Python"
            ]);
            await page.keyboard.press("Backspace");
            await page.keyboard.press("Backspace");
            await page.keyboard.press("Backspace");
            await page.keyboard.press("Backspace");
            await page.keyboard.press("ArrowDown");
            await screenshots("history");
            await page.keyboard.press("Enter");
            await waitForPosted("openConversation");
            assert.deepEqual(
                (await posted()).find((m) => m.type === "openConversation"),
                { type: "openConversation", id: "c2" }
            );
            assert.equal(await page.isVisible("#history-popup"), false, "Enter closes the picker");
            assert.equal(
                await page.evaluate(() => document.activeElement?.id),
                "history-button",
                "the focus goes back to its button"
            );
            await page.keyboard.press("Enter");
            await page.keyboard.press("Escape");
            assert.equal(await page.isVisible("#history-popup"), false, "Escape closes the picker");
            // The view title bar's history action opens it too.
            await send({ type: "showHistory" });
            await page.locator("#history-popup").waitFor();
            await page.keyboard.press("Escape");
        });

        it("shows the model and the attached code as a removable chip", async () => {
            assert.match(await page.textContent("#model-line"), /stories260K\.gguf/);
            assert.match(await page.textContent("#chips"), /src\/app\.ts:3-7/);
            await page.click(".chip-remove");
            await waitForPosted("removeAttachment");
            assert.deepEqual(
                (await posted()).find((m) => m.type === "removeAttachment"),
                { type: "removeAttachment", index: 0 }
            );
        });

        it("Enter sends the typed question; Shift+Enter makes a new line", async () => {
            await page.click("#input");
            await page.keyboard.type("What does");
            await page.keyboard.press("Shift+Enter");
            await page.keyboard.type("this do?");
            assert.equal(
                (await posted()).filter((m) => m.type === "send").length,
                0,
                "Shift+Enter does not send"
            );
            await page.keyboard.press("Enter");
            await waitForPosted("send");
            assert.deepEqual(
                (await posted()).find((m) => m.type === "send"),
                { type: "send", text: "What does\nthis do?" }
            );
            assert.equal(await page.inputValue("#input"), "", "the input is cleared");
        });

        it("streams thinking, then text, into the turn; shows code with actions", async () => {
            await send({
                type: "turnStarted",
                user: { id: "u1", role: "user", text: "What does\nthis do?" },
                assistant: {
                    id: "a1",
                    role: "assistant",
                    text: "",
                    state: "streaming",
                    model: "stories260K.gguf"
                }
            });
            await send({
                type: "delta",
                turnId: "a1",
                part: "thinking",
                text: "The user asks about "
            });
            await send({ type: "delta", turnId: "a1", part: "thinking", text: "a variable." });
            await page.waitForSelector("details.thinking[open]");
            assert.match(await page.textContent("details.thinking summary"), /Thinking…/);
            assert.equal(await page.isVisible("#stop"), true, "Stop shows while generating");
            const pieces = [
                "It sets ",
                "`a` to one.\n\n",
                "```ts\nlet a = 1;\n",
                "```\n",
                "See [docs](https://example.com) and [bad](javascript:alert(1)).\n",
                '<img src=x onerror="window.__pwned=1">'
            ];
            for (const text of pieces.slice(0, 3))
                await send({ type: "delta", turnId: "a1", part: "text", text });
            await page.waitForFunction(() =>
                document.querySelector(".turn-assistant .answer")?.textContent?.includes("let a")
            );
            assert.equal(
                await page.getAttribute(".turn-assistant", "aria-busy"),
                "true",
                "a streaming answer is marked busy"
            );
            assert.equal(
                await page.locator(".turn-assistant .turn-actions button").count(),
                0,
                "no answer actions while it streams"
            );
            assert.match(await page.textContent("#announcer"), /Apprentice is answering/);
            await screenshots("streaming");
            for (const text of pieces.slice(3))
                await send({ type: "delta", turnId: "a1", part: "text", text });
            await page.waitForFunction(() =>
                document.querySelector(".turn-assistant .answer")?.textContent?.includes("See docs")
            );
            assert.match(await page.textContent(".turn-assistant .answer"), /It sets a to one\./);
            assert.equal(
                await page.$("details.thinking[open]"),
                null,
                "thinking folds when the answer starts"
            );
            assert.match(await page.textContent("details.thinking summary"), /Thought/);
            assert.equal(
                await page.$(".turn-assistant img"),
                null,
                "raw HTML in the answer is not rendered"
            );
            assert.equal(await page.evaluate(() => window.__pwned), undefined);
            assert.equal(await page.$$eval("a[href]", (a) => a.length), 0, "no live href");
            assert.equal(
                await page.$$eval("a[data-href]", (a) => a.length),
                1,
                "only the http(s) link is a link"
            );
            await page.keyboard.press("Escape");
            await waitForPosted("stop");
            await send({
                type: "turnEnded",
                turn: {
                    id: "a1",
                    role: "assistant",
                    text: pieces.join(""),
                    thinking: "The user asks about a variable.",
                    thinkingMs: 1200,
                    state: "done",
                    model: "stories260K.gguf",
                    timings: {
                        promptTokens: 40,
                        generatedTokens: 30,
                        timeToFirstTokenMs: 120,
                        tokensPerSecond: 70.5,
                        totalMs: 600
                    }
                }
            });
            await page.waitForFunction(() =>
                document
                    .querySelector(".turn-assistant .meta")
                    ?.textContent?.includes("70.5 tokens/s")
            );
            assert.match(await page.textContent("details.thinking summary"), /Thought for 1\.2 s/);
            assert.equal(await page.isVisible("#stop"), false);
            assert.equal(await page.getAttribute(".turn-assistant", "aria-busy"), "false");
            assert.match(await page.textContent("#announcer"), /Apprentice answered/);
        });

        it("Copy, Insert and link clicks go to the extension", async () => {
            await page.click(".code-block [data-action=copy]");
            await waitForPosted("copy");
            assert.deepEqual(
                (await posted()).find((m) => m.type === "copy"),
                { type: "copy", text: "let a = 1;\n" }
            );
            assert.equal(
                await page.getAttribute(".code-block [data-action=copy]", "aria-label"),
                "Copied"
            );
            await page.click(".code-block [data-action=insert]");
            await waitForPosted("insert");
            await page.click("a[data-href]");
            await waitForPosted("openLink");
            assert.deepEqual(
                (await posted()).find((m) => m.type === "openLink"),
                { type: "openLink", href: "https://example.com" }
            );
        });

        it("role headers name who speaks; a finished answer has Copy, Insert, Apply and Regenerate", async () => {
            assert.deepEqual(await page.locator(".turn-header").allTextContents(), [
                "You",
                "Apprenticestories260K.gguf"
            ]);
            const actions = page.locator(".turn-assistant .turn-actions");
            assert.deepEqual(
                await actions
                    .locator("button")
                    .evaluateAll((b) => b.map((x) => x.getAttribute("aria-label"))),
                [
                    "Copy answer",
                    "Insert the answer's code at the cursor",
                    "Apply the answer's code to the selection (shows a diff first)",
                    "Regenerate answer"
                ]
            );
            await page.waitForFunction(
                () =>
                    document
                        .querySelector(".code-block [data-action=copy]")
                        ?.getAttribute("aria-label") === "Copy"
            );
            await page.locator(".turn-assistant").hover();
            await screenshots("code-answer");
            await actions.getByRole("button", { name: "Copy answer" }).click();
            await page.waitForFunction(() =>
                window.__posted.some((m) => m.type === "copy" && m.text.startsWith("It sets"))
            );
            assert.equal(
                await actions.locator("[data-action=copy-answer]").getAttribute("aria-label"),
                "Copied",
                "Copy answer says it copied"
            );
            await page.waitForFunction(
                () =>
                    document
                        .querySelector("[data-action=copy-answer]")
                        ?.getAttribute("aria-label") === "Copy answer"
            );
            await actions
                .getByRole("button", { name: "Insert the answer's code at the cursor" })
                .click();
            await page.waitForFunction(() =>
                window.__posted.some((m) => m.type === "insert" && m.text === "let a = 1;\n")
            );
            await actions.getByRole("button", { name: /^Apply the answer's code/ }).click();
            await page.waitForFunction(() =>
                window.__posted.some((m) => m.type === "apply" && m.text === "let a = 1;\n")
            );
            await actions.getByRole("button", { name: "Regenerate answer" }).click();
            await waitForPosted("regenerate");
        });

        it("the accessibility tree names every part (Playwright's aria snapshot)", async () => {
            const tree = await page.locator("body").ariaSnapshot();
            await mkdir(path.join(root, ".artifacts"), { recursive: true });
            await writeFile(path.join(root, ".artifacts", "chat-aria.yaml"), tree);
            for (const expected of [
                /- '?button "Past conversations: What does this do\?"/,
                /- '?feed "Conversation"/,
                /- '?article "You"/,
                /- '?article "Apprentice stories260K\.gguf"/,
                /- '?toolbar "ts code"/,
                /- '?button "Copy"/,
                /- '?button "Insert at cursor"/,
                /- '?toolbar "Answer actions"/,
                /- '?button "Copy answer"/,
                /- '?button "Regenerate answer"/,
                // The message box is a combobox: typing @ opens the mention picker (mentionPicker.ts).
                /- '?combobox "Message to Apprentice"/,
                /- '?button "Attach the current file"/,
                /- '?button "Model: stories260K\.gguf\. Choose another model"/,
                /- '?button "Send \(Enter\)"/,
                /- '?status/
            ])
                assert.match(tree, expected, `accessibility tree:\n${tree}`);
            // No unnamed buttons anywhere.
            assert.doesNotMatch(tree, /- button(?! ")/, `a button without a name:\n${tree}`);
        });

        it("keyboard: Ctrl+Up goes to the last message, arrows move between messages, Escape returns to the input, Tab order", async () => {
            const focused = () =>
                page.evaluate(() => {
                    const a = document.activeElement;
                    return a?.matches("article")
                        ? `article:${a.getAttribute("data-turn-id")}`
                        : a?.id || a?.getAttribute("aria-label") || a?.tagName;
                });
            await page.focus("#input");
            await page.keyboard.press("Control+ArrowUp");
            assert.equal(await focused(), "article:a1");
            await page.keyboard.press("ArrowUp");
            assert.equal(await focused(), "article:u1");
            await page.keyboard.press("PageDown");
            assert.equal(await focused(), "article:a1");
            await page.keyboard.press("Home");
            assert.equal(await focused(), "article:u1");
            await page.keyboard.press("Escape");
            assert.equal(await focused(), "input");
            // Tab order from the top: the history picker, the current message (one tab stop: roving), its buttons, then the composer.
            await page.focus("#history-button");
            const order = [];
            for (let i = 0; i < 16; i++) {
                await page.keyboard.press("Tab");
                order.push(await focused());
            }
            const at = (name) => order.indexOf(name);
            assert.equal(order[0], "article:u1", order.join(" → "));
            assert.ok(
                !order.includes("article:a1"),
                `only one message is a tab stop: ${order.join(" → ")}`
            );
            assert.ok(
                at("Copy") > 0 &&
                    at("Copy answer") > at("Copy") &&
                    at("input") > at("Regenerate answer"),
                order.join(" → ")
            );
            assert.ok(
                at("attach") > at("input") &&
                    at("model-line") > at("attach") &&
                    at("send") > at("model-line"),
                order.join(" → ")
            );
        });

        it("saves a screenshot", async () => {
            await mkdir(path.join(root, ".artifacts"), { recursive: true });
            const file = path.join(root, ".artifacts", "chat-webview.png");
            await page.screenshot({ path: file });
            assert.ok(existsSync(file));
        });

        it("the Content-Security-Policy blocks injected scripts and inline handlers", async () => {
            await page.evaluate(() => {
                const s = document.createElement("script");
                s.textContent = "window.__injected = 1";
                document.body.append(s);
                const div = document.createElement("div");
                div.innerHTML =
                    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="window.__handler=1" onload="window.__handler=1">';
                document.body.append(div);
            });
            await page.waitForFunction(() => (window.__violations ?? []).length >= 2, undefined, {
                timeout: 5000
            });
            assert.equal(
                await page.evaluate(() => window.__injected),
                undefined,
                "inline script did not run"
            );
            assert.equal(
                await page.evaluate(() => window.__handler),
                undefined,
                "inline handler did not run"
            );
            const directives = await page.evaluate(() => window.__violations);
            assert.ok(
                directives.some((d) => d.startsWith("script-src")),
                JSON.stringify(directives)
            );
        });

        it(`renders ${HOSTILE_ANSWERS.length} hostile model answers (through the engine's thinking parser): nothing runs, nothing is fetched, the page stays usable`, async () => {
            const { ThinkingParser } = await importSource("src/engine/chat/thinkingParser.ts");
            const origin = `http://127.0.0.1:${server.address().port}/`;
            const foreign = [];
            const onRequest = (request) => {
                if (!request.url().startsWith(origin)) foreign.push(request.url());
            };
            const dialogs = [];
            const onDialog = (dialog) => {
                dialogs.push(dialog.message());
                void dialog.dismiss();
            };
            page.on("request", onRequest);
            page.on("dialog", onDialog);
            const postedBefore = (await posted()).length;
            let rendered = 0;
            try {
                for (const [index, raw] of HOSTILE_ANSWERS.entries()) {
                    const id = `hostile-${index}`;
                    await send({
                        type: "turnStarted",
                        user: { id: `u-${id}`, role: "user", text: "Show me something." },
                        assistant: { id, role: "assistant", text: "", state: "streaming" }
                    });
                    // Chunks of varying size, as tokens arrive; tags may be split across chunks.
                    const parser = new ThinkingParser();
                    const pieces = [];
                    for (
                        let at = 0, size = 1;
                        at < raw.length;
                        at += size, size = (size % 7) + 1 + (raw.length > 100_000 ? 20_000 : 0)
                    )
                        pieces.push(...parser.push(raw.slice(at, at + size)));
                    pieces.push(...parser.end());
                    for (const piece of pieces)
                        await send({
                            type: "delta",
                            turnId: id,
                            part: piece.part,
                            text: piece.text
                        });
                    const text = pieces
                        .filter((p) => p.part === "text")
                        .map((p) => p.text)
                        .join("");
                    const thinking = pieces
                        .filter((p) => p.part === "thinking")
                        .map((p) => p.text)
                        .join("");
                    await send({
                        type: "turnEnded",
                        turn: {
                            id,
                            role: "assistant",
                            text,
                            ...(thinking ? { thinking } : {}),
                            state: "done"
                        }
                    });
                    await page.waitForFunction(
                        (turnId) => document.querySelector(`[data-turn-id="${turnId}"]`) !== null,
                        id
                    );
                    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
                    rendered++;
                }
                await new Promise((r) => setTimeout(r, 300)); // let any injected element try to load
                assert.equal(
                    await page.evaluate(() => window.__pwned),
                    undefined,
                    "no hostile code ran"
                );
                assert.deepEqual(dialogs, [], "no dialog opened");
                assert.deepEqual(foreign, [], "nothing was fetched from another host");
                assert.equal(
                    await page.$$eval("a[href]", (a) => a.length),
                    0,
                    "no live href anywhere"
                );
                assert.deepEqual(
                    await page.$$eval("a[data-href]", (a) =>
                        a.map((x) => x.dataset.href).filter((h) => !/^https?:\/\//i.test(h))
                    ),
                    [],
                    "links are http(s) only"
                );
                const live = await page.$$eval(
                    ".turn-assistant :is(script, img, svg, iframe, object, embed, style, link, meta, base, form, input)",
                    (els) => els.map((e) => e.tagName)
                );
                assert.deepEqual(live, [], "no hostile element was created in an answer");
                assert.equal(
                    await page.isVisible("#input"),
                    true,
                    "the input is still visible (no injected style hides the page)"
                );
                const after = (await posted())
                    .slice(postedBefore)
                    .filter((m) => m.type !== "ready");
                assert.deepEqual(
                    after.filter((m) => ["openLink", "insert", "copy", "send"].includes(m.type)),
                    [],
                    "rendering posted no action to the extension"
                );
                assert.ok(
                    await page.evaluate(() =>
                        document.body.textContent.includes("The page is gone.")
                    ),
                    "hostile text is still shown, as text"
                );
            } finally {
                page.off("request", onRequest);
                page.off("dialog", onDialog);
            }
            console.log(
                `hostile chat outputs rendered in Chromium: ${rendered} (largest ${Math.max(...HOSTILE_ANSWERS.map((a) => a.length))} characters)`
            );
        });

        it("an unknown message is rejected with a logged error", async () => {
            await send({ type: "evil", html: "<b>x</b>" });
            await page.waitForFunction(() => true);
            await new Promise((r) => setTimeout(r, 100));
            assert.ok(
                consoleErrors.some((e) => /rejected a message: .*unknown message type/.test(e)),
                consoleErrors.join("\n")
            );
        });
    }
);
