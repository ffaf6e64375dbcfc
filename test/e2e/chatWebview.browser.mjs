// The chat webview as a person sees it, in a real headless Chromium (/usr/bin/chromium or
// CHROMIUM_PATH) driven by playwright-core: the built page with its real Content-Security-Policy,
// served from 127.0.0.1, with a fake `acquireVsCodeApi` standing in for VS Code.
// Needs `node scripts/build.mjs` first. Saves a screenshot to .artifacts/chat-webview.png.
import { strict as assert } from "node:assert";
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const chromiumPath = process.env.APPRENTICE_CHROMIUM ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const NONCE = "testnonce123";

async function chatPageHtml(options) {
    // The same page builder the extension uses (src/extension/chat/chatPage.ts, no VS Code API).
    const built = await esbuild.build({ entryPoints: [path.join(root, "src/extension/chat/chatPage.ts")], bundle: true, format: "esm", platform: "node", write: false });
    const module = await import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString("base64")}`);
    return module.chatPageHtml(options);
}

describe("chat webview in Chromium", { skip: !existsSync(chromiumPath) && !process.env.CI ? `no Chromium at ${chromiumPath}` : false }, () => {
    let server;
    let browser;
    let page;
    const consoleErrors = [];

    const posted = () => page.evaluate(() => window.__posted);
    const send = (message) => page.evaluate((m) => window.postMessage(m, "*"), message);
    const waitForPosted = (type) => page.waitForFunction((t) => window.__posted.some((m) => m.type === t), type, { timeout: 5000 });

    before(async () => {
        const scriptPath = path.join(root, "media/dist/webview.js");
        assert.ok(existsSync(scriptPath), "build first: node scripts/build.mjs");
        let origin = "";
        server = createServer(async (req, res) => {
            const url = new URL(req.url ?? "/", origin);
            if (url.pathname === "/") {
                res.writeHead(200, { "content-type": "text/html" });
                res.end(await chatPageHtml({ cspSource: origin, nonce: NONCE, scriptUri: `${origin}/media/dist/webview.js`, styleUri: `${origin}/media/chat.css` }));
                return;
            }
            const file = path.join(root, path.normalize(url.pathname));
            if (!file.startsWith(path.join(root, "media")) || !existsSync(file)) { res.writeHead(404); res.end(); return; }
            res.writeHead(200, { "content-type": file.endsWith(".css") ? "text/css" : "text/javascript" });
            res.end(await readFile(file));
        });
        await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
        origin = `http://127.0.0.1:${server.address().port}`;
        browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox"] });
        page = await browser.newPage({ viewport: { width: 420, height: 640 } });
        page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
        await page.addInitScript(() => {
            window.__posted = [];
            let state;
            window.acquireVsCodeApi = () => ({
                postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
                getState: () => state,
                setState: (s) => { state = s; }
            });
            document.addEventListener("securitypolicyviolation", (e) => { (window.__violations ??= []).push(e.violatedDirective); });
            // A dark theme's variables, as VS Code would set them (CSSOM, allowed by the CSP).
            document.addEventListener("DOMContentLoaded", () => {
                const vars = { "--vscode-foreground": "#cccccc", "--vscode-sideBar-background": "#1e1e1e", "--vscode-editor-background": "#1e1e1e",
                    "--vscode-button-background": "#0e639c", "--vscode-button-foreground": "#ffffff", "--vscode-button-secondaryBackground": "#3a3d41",
                    "--vscode-button-secondaryForeground": "#ffffff", "--vscode-input-background": "#3c3c3c", "--vscode-input-foreground": "#cccccc",
                    "--vscode-textCodeBlock-background": "#0a0a0a", "--vscode-editor-foreground": "#d4d4d4", "--vscode-descriptionForeground": "#9d9d9d",
                    "--vscode-badge-background": "#4d4d4d", "--vscode-badge-foreground": "#ffffff", "--vscode-textLink-foreground": "#3794ff",
                    "--vscode-symbolIcon-keywordForeground": "#569cd6", "--vscode-debugTokenExpression-string": "#ce9178", "--vscode-debugTokenExpression-number": "#b5cea8",
                    "--vscode-font-family": "sans-serif", "--vscode-font-size": "13px", "--vscode-editor-font-family": "monospace" };
                for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
            });
        });
        await page.goto(origin);
        await waitForPosted("ready");
        await send({ type: "model", model: { state: "ready", name: "stories260K.gguf", template: "ChatML fallback (no chat template)" } });
        await send({ type: "conversation", id: "c1", turns: [], conversations: [{ id: "c1", title: "New chat", updated: 0 }] });
        await send({ type: "attachments", attachments: [{ name: "src/app.ts", languageId: "typescript", startLine: 3, endLine: 7, text: "let a = 1;" }] });
    });

    after(async () => {
        await browser?.close();
        await new Promise((resolve) => server ? server.close(resolve) : resolve());
    });

    it("shows the model and the attached code as a removable chip", async () => {
        assert.match(await page.textContent("#model-line"), /stories260K\.gguf/);
        assert.match(await page.textContent("#chips"), /src\/app\.ts:3-7/);
        await page.click(".chip-remove");
        await waitForPosted("removeAttachment");
        assert.deepEqual((await posted()).find((m) => m.type === "removeAttachment"), { type: "removeAttachment", index: 0 });
    });

    it("Enter sends the typed question; Shift+Enter makes a new line", async () => {
        await page.click("#input");
        await page.keyboard.type("What does");
        await page.keyboard.press("Shift+Enter");
        await page.keyboard.type("this do?");
        assert.equal((await posted()).filter((m) => m.type === "send").length, 0, "Shift+Enter does not send");
        await page.keyboard.press("Enter");
        await waitForPosted("send");
        assert.deepEqual((await posted()).find((m) => m.type === "send"), { type: "send", text: "What does\nthis do?" });
        assert.equal(await page.inputValue("#input"), "", "the input is cleared");
    });

    it("streams thinking, then text, into the turn; shows code with actions", async () => {
        await send({ type: "turnStarted", user: { id: "u1", role: "user", text: "What does\nthis do?" }, assistant: { id: "a1", role: "assistant", text: "", state: "streaming" } });
        await send({ type: "delta", turnId: "a1", part: "thinking", text: "The user asks about " });
        await send({ type: "delta", turnId: "a1", part: "thinking", text: "a variable." });
        await page.waitForSelector("details.thinking[open]");
        assert.match(await page.textContent("details.thinking summary"), /Thinking…/);
        assert.equal(await page.isVisible("#stop"), true, "Stop shows while generating");
        const pieces = ["It sets ", "`a` to one.\n\n", "```ts\nlet a = 1;\n", "```\n", "See [docs](https://example.com) and [bad](javascript:alert(1)).\n", "<img src=x onerror=\"window.__pwned=1\">"];
        for (const text of pieces) await send({ type: "delta", turnId: "a1", part: "text", text });
        await page.waitForFunction(() => document.querySelector(".turn-assistant .answer")?.textContent?.includes("See docs"));
        assert.match(await page.textContent(".turn-assistant .answer"), /It sets a to one\./);
        assert.equal(await page.$("details.thinking[open]"), null, "thinking folds when the answer starts");
        assert.match(await page.textContent("details.thinking summary"), /Thought/);
        assert.equal(await page.$(".turn-assistant img"), null, "raw HTML in the answer is not rendered");
        assert.equal(await page.evaluate(() => window.__pwned), undefined);
        assert.equal(await page.$$eval("a[href]", (a) => a.length), 0, "no live href");
        assert.equal(await page.$$eval("a[data-href]", (a) => a.length), 1, "only the http(s) link is a link");
        await page.keyboard.press("Escape");
        await waitForPosted("stop");
        await send({ type: "turnEnded", turn: { id: "a1", role: "assistant", text: pieces.join(""), thinking: "The user asks about a variable.", thinkingMs: 1200, state: "done",
            timings: { promptTokens: 40, generatedTokens: 30, timeToFirstTokenMs: 120, tokensPerSecond: 70.5, totalMs: 600 } } });
        await page.waitForFunction(() => document.querySelector(".turn-assistant .meta")?.textContent?.includes("70.5 tokens/s"));
        assert.match(await page.textContent("details.thinking summary"), /Thought for 1\.2 s/);
        assert.equal(await page.isVisible("#stop"), false);
    });

    it("Copy, Insert and link clicks go to the extension", async () => {
        await page.click(".code-block [data-action=copy]");
        await waitForPosted("copy");
        assert.deepEqual((await posted()).find((m) => m.type === "copy"), { type: "copy", text: "let a = 1;\n" });
        assert.equal(await page.textContent(".code-block [data-action=copy]"), "Copied");
        await page.click(".code-block [data-action=insert]");
        await waitForPosted("insert");
        await page.click("a[data-href]");
        await waitForPosted("openLink");
        assert.deepEqual((await posted()).find((m) => m.type === "openLink"), { type: "openLink", href: "https://example.com" });
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
            div.innerHTML = "<img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" onerror=\"window.__handler=1\" onload=\"window.__handler=1\">";
            document.body.append(div);
        });
        await page.waitForFunction(() => (window.__violations ?? []).length >= 2, undefined, { timeout: 5000 });
        assert.equal(await page.evaluate(() => window.__injected), undefined, "inline script did not run");
        assert.equal(await page.evaluate(() => window.__handler), undefined, "inline handler did not run");
        const directives = await page.evaluate(() => window.__violations);
        assert.ok(directives.some((d) => d.startsWith("script-src")), JSON.stringify(directives));
    });

    it("an unknown message is rejected with a logged error", async () => {
        await send({ type: "evil", html: "<b>x</b>" });
        await page.waitForFunction(() => true);
        await new Promise((r) => setTimeout(r, 100));
        assert.ok(consoleErrors.some((e) => /rejected a message: .*unknown message type/.test(e)), consoleErrors.join("\n"));
    });

});
