// The end-to-end session: packs the extension with `npm run package`, installs the .vsix into
// code-server (Node 24, 127.0.0.1), opens a workspace in headless Chromium with Playwright, and hands
// checks a `page` plus helpers. Everything it writes stays in .test-data/e2e and .artifacts/e2e.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { ensureTools, ROOT } from "../../scripts/vscode-test/tools.mjs";
import {
    freePort,
    killGroup,
    sandboxEnv,
    spawnGroup,
    waitForHttp
} from "../../scripts/vscode-test/processes.mjs";
import {
    launchChromium,
    writeServerSettings,
    OFFLINE_ENV,
    QUIET_SETTINGS
} from "../../scripts/vscode-test/vscodeServer.mjs";

export const DATA = path.join(ROOT, ".test-data", "e2e");
export const ARTIFACTS = path.join(ROOT, ".artifacts", "e2e");
export const MODELS = path.resolve(
    process.env.APPRENTICE_MODELS_DIR ?? path.join(ROOT, "..", "shared", "models")
);

function run(command, args, env, what) {
    const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", env });
    if (result.status !== 0)
        throw new Error(`${what} failed (exit ${result.status ?? result.signal})`);
}

/**
 * Packs and installs the extension, starts code-server and Chromium; returns the session. `dataDir`
 * (default .test-data/e2e) is emptied first and holds everything the session writes.
 */
export async function openSession({ settings = {}, files = {}, dataDir = DATA } = {}) {
    const tools = ensureTools({ quiet: true });
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    const env = sandboxEnv(path.join(dataDir, "sb"));
    const vsix = path.join(dataDir, "apprentice-e2e.vsix");
    const userDataDir = path.join(dataDir, "user-data");
    const extensionsDir = path.join(dataDir, "extensions");
    const workspace = path.join(dataDir, "workspace");
    for (const [name, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
        writeFileSync(path.join(workspace, name), content);
    }
    mkdirSync(workspace, { recursive: true });

    run(
        process.execPath,
        [path.join(ROOT, "scripts", "package.mjs"), "--out", vsix],
        env,
        "npm run package"
    );
    const codeServer = [
        tools.codeServerEntry,
        "--user-data-dir",
        userDataDir,
        "--extensions-dir",
        extensionsDir
    ];
    run(
        tools.node,
        [...codeServer, "--install-extension", vsix],
        env,
        "code-server --install-extension"
    );
    writeServerSettings(userDataDir, { ...QUIET_SETTINGS, ...settings });

    const port = await freePort();
    const logFile = path.join(dataDir, "code-server.log");
    const server = spawnGroup(
        tools.node,
        [
            ...codeServer,
            "--bind-addr",
            `127.0.0.1:${port}`,
            "--auth",
            "none",
            "--disable-telemetry",
            "--disable-update-check",
            "--disable-workspace-trust",
            workspace
        ],
        { logFile, env: { ...env, ...OFFLINE_ENV } }
    );
    const origin = `http://127.0.0.1:${port}`;
    let browser;
    try {
        await waitForHttp(`${origin}/healthz`, { child: server, logFile });
        browser = await launchChromium(path.join(dataDir, "chromium"));
        const page = browser.pages()[0] ?? (await browser.newPage());
        const consoleLines = [];
        page.on("console", (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
        // A loaded 2-core machine can take longer than Playwright's default 30 s to load the workbench.
        await page.goto(`${origin}/?folder=${encodeURIComponent(workspace)}`, { timeout: 120_000 });
        await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
        return {
            page,
            workspace,
            origin,
            logFile,
            extensionsDir,
            /** Saves a PNG under .artifacts/e2e and returns its path. */
            async screenshot(name) {
                const file = path.join(ARTIFACTS, `${name}.png`);
                await page.screenshot({ path: file });
                return file;
            },
            /** Opens a workspace file through Quick Open and waits for its editor. */
            async openFile(name) {
                await page
                    .locator(".monaco-workbench")
                    .click({ position: { x: 600, y: 300 } })
                    .catch(() => undefined);
                await page.keyboard.press("Control+P");
                const input = page.locator(".quick-input-widget input");
                await input.waitFor();
                await input.fill(name);
                // Wait for the row of this file: at first the list may show only recently opened files.
                await page
                    .locator(".quick-input-list .monaco-list-row", { hasText: name })
                    .first()
                    .waitFor();
                await page.keyboard.press("Enter");
                await page.locator(`.tab[aria-label*="${name}"]`).first().waitFor();
                await page.locator(".monaco-editor .view-lines").first().waitFor();
            },
            async close() {
                writeFileSync(path.join(dataDir, "browser-console.log"), consoleLines.join("\n"));
                await browser.close().catch(() => undefined);
                await killGroup(server);
            }
        };
    } catch (error) {
        await browser?.close().catch(() => undefined);
        await killGroup(server);
        throw error;
    }
}
