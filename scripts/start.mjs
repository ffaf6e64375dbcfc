// `npm start`: builds, then opens VS Code with Apprentice loaded from this folder, in a fresh copy of
// the sample project (`sample/` copied to the git-ignored .test-data/start/sample, so the repository
// is never touched). `npm start -- <folder>` opens that folder instead.
// - Desktop: when `code` is on PATH, runs `code --extensionDevelopmentPath=<repo>` with its own profile
//   under .test-data/start (so your usual settings and extensions are left alone).
// - Otherwise: serves VS Code in the browser on 127.0.0.1 (the VS Code server from code-server,
//   installed into .tools/ on first use, with the system packages it needs), and prints the address.
// The model: APPRENTICE_MODEL, else ../shared/models/coder-48m-fim-q8_0.gguf (a small real code
// model) when it exists, else none (the status bar then offers "Choose Model…"). APPRENTICE_PORT
// picks the port; APPRENTICE_BROWSER=1 serves the browser version even where `code` exists.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const data = path.join(root, ".test-data", "start");
const DEFAULT_MODEL = "coder-48m-fim-q8_0.gguf";

function pickModel() {
    if (process.env.APPRENTICE_MODEL) {
        const file = path.resolve(process.env.APPRENTICE_MODEL);
        if (!existsSync(file))
            console.warn(
                `start: APPRENTICE_MODEL=${file} does not exist; Apprentice will say so in the status bar.`
            );
        return file;
    }
    const shared = path.resolve(root, "..", "shared", "models", DEFAULT_MODEL);
    return existsSync(shared) ? shared : undefined;
}

/** The folder to open: the one named on the command line, else a fresh copy of sample/. */
function pickWorkspace() {
    const named = process.argv[2];
    if (named) return path.resolve(process.env.INIT_CWD ?? process.cwd(), named);
    const copy = path.join(data, "sample");
    rmSync(copy, { recursive: true, force: true });
    cpSync(path.join(root, "sample"), copy, { recursive: true });
    return copy;
}

function onPath(command) {
    return (
        spawnSync("sh", ["-c", 'command -v "$1"', "sh", command], { stdio: "ignore" }).status === 0
    );
}

const build = spawnSync(process.execPath, [path.join(root, "scripts", "build.mjs")], {
    cwd: root,
    stdio: "inherit"
});
if (build.status !== 0) process.exit(build.status ?? 1);

const model = pickModel();
const workspace = pickWorkspace();
// The sample's README opens first; it says what to try.
const settings = {
    "workbench.startupEditor": "readme",
    ...(model ? { "apprentice.modelPath": model } : {})
};
console.log(
    model
        ? `start: model ${model}`
        : `start: no model found (looked for ../shared/models/${DEFAULT_MODEL}); choose one with "Apprentice: Choose Model…"`
);
console.log(`start: workspace ${workspace}`);

if (onPath("code") && !process.env.APPRENTICE_BROWSER) {
    const userDataDir = path.join(data, "desktop-user");
    mkdirSync(path.join(userDataDir, "User"), { recursive: true });
    const { QUIET_SETTINGS } = await import("./vscode-test/vscodeServer.mjs");
    writeFileSync(
        path.join(userDataDir, "User", "settings.json"),
        JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2)
    );
    const code = spawn(
        "code",
        [
            `--extensionDevelopmentPath=${root}`,
            `--user-data-dir=${userDataDir}`,
            `--extensions-dir=${path.join(data, "desktop-extensions")}`,
            workspace
        ],
        { stdio: "inherit" }
    );
    code.on("exit", (status) => process.exit(status ?? 0));
} else {
    const { startVsCodeServer, workbenchUrl } = await import("./vscode-test/vscodeServer.mjs");
    const { sandboxEnv } = await import("./vscode-test/processes.mjs");
    const { ensureTools } = await import("./vscode-test/tools.mjs");
    try {
        ensureTools();
    } catch (error) {
        console.error(`\nstart: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
    }
    const logFile = path.join(data, "server.log");
    const server = await startVsCodeServer({
        serverDataDir: path.join(data, "server"),
        extensionsDir: path.join(data, "extensions"),
        settings,
        env: sandboxEnv(path.join(data, "sb")),
        logFile,
        port: process.env.APPRENTICE_PORT ? Number(process.env.APPRENTICE_PORT) : undefined
    });
    const url = workbenchUrl(server.origin, workspace, [
        ["extensionDevelopmentPath", `vscode-remote://127.0.0.1:${server.port}${root}`]
    ]);
    console.log(
        `\nVS Code with Apprentice is running (server log: ${path.relative(root, logFile)}). Open this address in your browser:\n\n  ${url}\n\nPress Ctrl+C to stop.`
    );
    // spawnGroup's handlers stop the server on Ctrl+C and on exit.
    server.child.once("exit", (status) => {
        console.log(`start: the server stopped (${status}); see ${logFile}`);
        process.exit(status ?? 1);
    });
}
