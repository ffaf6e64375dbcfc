// Serves a webview page for the Chromium tests on 127.0.0.1: `/` is the page's HTML (built for the
// server's own origin, which stands in for the webview's cspSource), and files under media/ as
// VS Code would serve them from the extension folder.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import * as path from "node:path";

const CONTENT_TYPES = { ".css": "text/css", ".ttf": "font/ttf" };

/** `pageHtml(origin)` returns the page. Resolves with the server and its origin; close the server when done. */
export async function serveWebviewPage(root, pageHtml) {
    let origin = "";
    const server = createServer(async (req, res) => {
        const url = new URL(req.url ?? "/", origin);
        if (url.pathname === "/") {
            res.writeHead(200, { "content-type": "text/html" });
            res.end(await pageHtml(origin));
            return;
        }
        const file = path.join(root, path.normalize(url.pathname));
        if (!file.startsWith(path.join(root, "media")) || !existsSync(file)) {
            res.writeHead(404);
            res.end();
            return;
        }
        res.writeHead(200, {
            "content-type": CONTENT_TYPES[path.extname(file)] ?? "text/javascript"
        });
        res.end(await readFile(file));
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${server.address().port}`;
    return { server, origin };
}

/** Launches headless Chromium with a page of this size whose console errors are pushed to `consoleErrors`. */
export async function launchPage(chromium, executablePath, viewport, consoleErrors) {
    const browser = await chromium.launch({
        executablePath,
        headless: true,
        args: ["--no-sandbox"]
    });
    const page = await browser.newPage({ viewport });
    page.on("console", (m) => {
        if (m.type() === "error") consoleErrors.push(m.text());
    });
    return { browser, page };
}
