// Starts the VS Code server that ships inside code-server (Node 24, 127.0.0.1 only) and launches
// Debian's headless Chromium with playwright-core. Used by the test adapter, the e2e test and `npm start`.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { ensureTools } from "./tools.mjs";
import { freePort, spawnGroup, waitForHttp } from "./processes.mjs";

/**
 * Settings that keep VS Code itself off the network (Apprentice makes no request of its own): no
 * telemetry, update or extension checks, experiments, recommendations, settings search, type
 * acquisition or schema downloads, no cloud changes. With OFFLINE_ENV and OFFLINE_ARGS, proven by
 * test/e2e/npmStart.mjs (every non-loopback connection of the server's processes is recorded).
 */
export const OFFLINE_SETTINGS = {
    "telemetry.telemetryLevel": "off",
    "telemetry.feedback.enabled": false,
    "update.mode": "none",
    "update.showReleaseNotes": false,
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "workbench.enableExperiments": false,
    "workbench.settings.enableNaturalLanguageSearch": false,
    "workbench.cloudChanges.autoResume": "off",
    "workbench.cloudChanges.continueOn": "off",
    // TypeScript's automatic type acquisition runs `npm install @types/...`: the js/ts.* names are
    // read first by newer VS Code, the typescript.* ones by older.
    "js/ts.tsserver.automaticTypeAcquisition.enabled": false,
    "js/ts.tsserver.web.typeAcquisition.enabled": false,
    "typescript.disableAutomaticTypeAcquisition": true,
    "typescript.tsserver.web.typeAcquisition.enabled": false,
    "npm.fetchOnlinePackageInfo": false,
    "json.schemaDownload.enable": false,
    "git.autofetch": false,
    "chat.disableAIFeatures": true
};

/**
 * The server's environment: no extension gallery (code-server otherwise points VS Code at
 * open-vsx.org, and both the server and the page query it at start).
 */
export const OFFLINE_ENV = { EXTENSIONS_GALLERY: JSON.stringify({}) };

/** Server flags: no telemetry, no update check, no experiments. */
export const OFFLINE_ARGS = [
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-experiments"
];

/** Settings every test window gets: offline, nothing steals focus, no trust prompt, no AI features of VS Code's own. */
export const QUIET_SETTINGS = {
    ...OFFLINE_SETTINGS,
    "workbench.startupEditor": "none",
    "workbench.secondarySideBar.defaultVisibility": "hidden",
    "workbench.tips.enabled": false,
    "security.workspace.trust.enabled": false,
    "git.openRepositoryInParentFolders": "never",
    "git.autoRepositoryDetection": false
};

/**
 * Settings for a window that keeps Workspace Trust on and opens an untrusted folder in Restricted Mode
 * without asking (no modal, no banner to dismiss).
 */
export const RESTRICTED_MODE_SETTINGS = {
    "security.workspace.trust.enabled": true,
    "security.workspace.trust.startupPrompt": "never",
    "security.workspace.trust.banner": "never",
    "security.workspace.trust.untrustedFiles": "open",
    "security.workspace.trust.emptyWindow": false
};

/**
 * Writes `settings` where the server reads them (it runs with --user-data-dir = --server-data-dir):
 * the remote machine settings (`apprentice.modelPath` is machine-overridable, so a remote window
 * ignores it in user settings) and the user settings, which the web workbench keeps on the server.
 */
export function writeServerSettings(serverDataDir, settings) {
    for (const scope of ["Machine", "User"]) {
        const dir = path.join(serverDataDir, scope);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, "settings.json"), JSON.stringify(settings, null, 2));
    }
}

/**
 * Starts `server-main.js` with the smoke-test driver enabled (it honours a `payload` with
 * extensionDevelopmentPath/extensionTestsPath in the URL). Workspace Trust is off unless
 * `workspaceTrust` is true (then folders open in Restricted Mode, RESTRICTED_MODE_SETTINGS).
 * Returns { child, port, origin, logFile }.
 */
export async function startVsCodeServer({
    serverDataDir,
    extensionsDir,
    settings = {},
    env = process.env,
    logFile,
    port,
    workspaceTrust = false
}) {
    const tools = ensureTools({ quiet: true });
    port ??= await freePort();
    writeServerSettings(serverDataDir, {
        ...QUIET_SETTINGS,
        ...settings,
        ...(workspaceTrust ? RESTRICTED_MODE_SETTINGS : {})
    });
    mkdirSync(extensionsDir, { recursive: true });
    const args = [
        tools.serverMain,
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
        "--without-connection-token",
        "--accept-server-license-terms",
        "--enable-smoke-test-driver",
        ...OFFLINE_ARGS,
        ...(workspaceTrust ? [] : ["--disable-workspace-trust"]),
        "--server-data-dir",
        serverDataDir,
        "--user-data-dir",
        serverDataDir,
        "--extensions-dir",
        extensionsDir
    ];
    const child = spawnGroup(tools.node, args, { logFile, env: { ...env, ...OFFLINE_ENV } });
    const origin = `http://127.0.0.1:${port}`;
    await waitForHttp(`${origin}/version`, { child, logFile, timeoutMs: 90_000 });
    return { child, port, origin, logFile };
}

/** The workbench URL that opens `folder` with `payload` ([[name, value], ...]) for the smoke-test driver. */
export function workbenchUrl(origin, folder, payload) {
    const url = new URL(origin);
    if (folder) url.searchParams.set("folder", folder);
    if (payload) url.searchParams.set("payload", JSON.stringify(payload));
    return url.toString();
}

/**
 * Launches headless Chromium with a fresh profile under `profileDir`, and its XDG config and cache
 * folders beside it so nothing lands in $HOME. TMPDIR is the caller's: Chromium's singleton socket
 * lives there and Unix socket paths must stay short (108 bytes).
 */
export async function launchChromium(profileDir) {
    const tools = ensureTools({ quiet: true, browser: true });
    const { chromium } = createRequire(import.meta.url)(tools.playwright);
    mkdirSync(profileDir, { recursive: true });
    const args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--disable-breakpad",
        "--disable-crash-reporter"
    ];
    const context = await chromium.launchPersistentContext(profileDir, {
        executablePath: tools.chromium,
        headless: true,
        args,
        env: {
            ...process.env,
            XDG_CONFIG_HOME: path.join(profileDir, "xdg-config"),
            XDG_CACHE_HOME: path.join(profileDir, "xdg-cache")
        },
        viewport: { width: 1280, height: 800 }
    });
    return context;
}
