#!/usr/bin/env node
// Acts as the `code` executable for @vscode/test-electron's runTests({ vscodeExecutablePath }) where
// desktop VS Code cannot be downloaded: it takes the same arguments, starts the VS Code server from
// code-server with the smoke-test driver, opens the workbench in headless Chromium with the
// extensionDevelopmentPath/extensionTestsPath as the URL's `payload`, and exits with the test run's code.
//
//   vscode-server-as-code.mjs [folder] --extensionDevelopmentPath=DIR --extensionTestsPath=FILE
//                             --user-data-dir=DIR --extensions-dir=DIR [other code flags, ignored]
//
// Settings in <user-data-dir>/User/settings.json (where desktop VS Code reads them) are copied to
// the server's machine and user settings. Logs go to <user-data-dir>/logs/.
// @vscode/test-electron always passes --disable-workspace-trust; with APPRENTICE_WORKSPACE_TRUST=1 in
// the environment it is dropped and the folder opens in Restricted Mode (untrusted) instead.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import * as path from "node:path";
import { killAllGroups, killGroup, sandboxEnv } from "./processes.mjs";
import { launchChromium, startVsCodeServer, workbenchUrl } from "./vscodeServer.mjs";

const TIMEOUT_MS = Number(process.env.APPRENTICE_VSCODE_TEST_TIMEOUT_MS ?? 20 * 60_000);

function parseArgs(argv) {
    const options = { developmentPaths: [], folder: undefined };
    for (const arg of argv) {
        const m = /^--([^=]+)=(.*)$/.exec(arg);
        if (m?.[1] === "extensionDevelopmentPath")
            options.developmentPaths.push(path.resolve(m[2]));
        else if (m?.[1] === "extensionTestsPath") options.testsPath = path.resolve(m[2]);
        else if (m?.[1] === "user-data-dir") options.userDataDir = path.resolve(m[2]);
        else if (m?.[1] === "extensions-dir") options.extensionsDir = path.resolve(m[2]);
        else if (!arg.startsWith("-") && !options.folder) options.folder = path.resolve(arg);
    }
    if (options.developmentPaths.length === 0 || !options.testsPath || !options.userDataDir) {
        throw new Error(
            "usage: vscode-server-as-code.mjs [folder] --extensionDevelopmentPath=DIR --extensionTestsPath=FILE --user-data-dir=DIR [--extensions-dir=DIR]"
        );
    }
    options.extensionsDir ??= path.join(options.userDataDir, "extensions");
    return options;
}

function readUserSettings(userDataDir) {
    const file = path.join(userDataDir, "User", "settings.json");
    return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
}

/**
 * Prints what the test run appends to `file` (APPRENTICE_TEST_LOG: the mocha entry writes its reporter's
 * output there, since a remote extension host's console reaches no terminal). Returns a stop function.
 */
function tail(file) {
    let position = 0;
    let busy = false;
    const poll = async () => {
        if (busy || !existsSync(file)) return;
        busy = true;
        try {
            const size = statSync(file).size;
            if (size < position) position = 0;
            if (size > position) {
                const handle = await open(file, "r");
                const { buffer, bytesRead } = await handle.read(
                    Buffer.alloc(size - position),
                    0,
                    size - position,
                    position
                );
                await handle.close();
                position += bytesRead;
                process.stdout.write(buffer.subarray(0, bytesRead));
            }
        } finally {
            busy = false;
        }
    };
    const timer = setInterval(() => void poll(), 200);
    return async () => {
        clearInterval(timer);
        await poll();
    };
}

async function main() {
    const options = parseArgs(process.argv.slice(2));
    const logs = path.join(options.userDataDir, "logs");
    mkdirSync(logs, { recursive: true });
    const env = sandboxEnv(path.join(options.userDataDir, "sb"));
    const serverDataDir = path.join(options.userDataDir, "server");
    const server = await startVsCodeServer({
        serverDataDir,
        extensionsDir: options.extensionsDir,
        settings: readUserSettings(options.userDataDir),
        env,
        logFile: path.join(logs, "server.log"),
        workspaceTrust: process.env.APPRENTICE_WORKSPACE_TRUST === "1"
    });
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
        ...options.developmentPaths.map((p) => ["extensionDevelopmentPath", remote(p)]),
        ["extensionTestsPath", remote(options.testsPath)]
    ];
    const browser = await launchChromium(path.join(options.userDataDir, "chromium"));
    const consoleLines = [];
    const stopTail = process.env.APPRENTICE_TEST_LOG
        ? tail(process.env.APPRENTICE_TEST_LOG)
        : async () => undefined;
    let code;
    try {
        const page = browser.pages()[0] ?? (await browser.newPage());
        page.on("console", (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
        const exit = new Promise((resolve) => {
            void page.exposeFunction("codeAutomationExit", (c) => {
                resolve(Number(c));
            });
        });
        const timeout = new Promise((resolve) =>
            setTimeout(() => {
                console.error(`vscode-server-as-code: no result within ${TIMEOUT_MS / 1000} s`);
                resolve(1);
            }, TIMEOUT_MS).unref()
        );
        await page.goto(workbenchUrl(server.origin, options.folder, payload));
        code = await Promise.race([exit, timeout]);
    } finally {
        await stopTail();
        writeFileSync(path.join(logs, "browser-console.log"), consoleLines.join("\n"));
        await browser.close().catch(() => undefined);
        await killGroup(server.child);
    }
    return code;
}

main().then(
    (code) => {
        killAllGroups();
        process.exit(code);
    },
    (error) => {
        console.error(
            `vscode-server-as-code: ${error instanceof Error ? error.stack : String(error)}`
        );
        killAllGroups();
        process.exit(1);
    }
);
