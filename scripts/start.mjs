// `npm start`: builds, then opens VS Code with Apprentice loaded from this folder.
// - Desktop: when `code` is on PATH, runs `code --extensionDevelopmentPath=<repo>` with its own profile
//   under .test-data/start (so your usual settings and extensions are left alone).
// - Otherwise: serves VS Code in the browser on 127.0.0.1 (the VS Code server from code-server,
//   installed into .tools/ on first use, with the system packages it needs; no Chromium needed) with
//   the extension loaded, and prints the address.
// The model: APPRENTICE_MODEL, else ../shared/models/shape-135m-q8_0.gguf when it exists, else none
// (the status bar then offers "Select Model File…"). APPRENTICE_PORT picks the port.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const data = path.join(root, ".test-data", "start");

function pickModel() {
    if (process.env.APPRENTICE_MODEL) {
        const file = path.resolve(process.env.APPRENTICE_MODEL);
        if (!existsSync(file)) console.warn(`start: APPRENTICE_MODEL=${file} does not exist; Apprentice will say so in the status bar.`);
        return file;
    }
    const shared = path.resolve(root, "..", "shared", "models", "shape-135m-q8_0.gguf");
    return existsSync(shared) ? shared : undefined;
}

function onPath(command) {
    return spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).status === 0;
}

const build = spawnSync(process.execPath, [path.join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const model = pickModel();
const settings = model ? { "apprentice.modelPath": model } : {};
console.log(model ? `start: model ${model}` : "start: no model found; choose one with \"Apprentice: Select Model File…\"");

if (onPath("code") && !process.env.APPRENTICE_BROWSER) {
    const userDataDir = path.join(data, "desktop-user");
    mkdirSync(path.join(userDataDir, "User"), { recursive: true });
    writeFileSync(path.join(userDataDir, "User", "settings.json"), JSON.stringify(settings, null, 2));
    const code = spawn("code", [`--extensionDevelopmentPath=${root}`, `--user-data-dir=${userDataDir}`, `--extensions-dir=${path.join(data, "desktop-extensions")}`, root], { stdio: "inherit" });
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
    const url = workbenchUrl(server.origin, root, [["extensionDevelopmentPath", `vscode-remote://127.0.0.1:${server.port}${root}`]]);
    console.log(`\nVS Code with Apprentice is running (server log: ${path.relative(root, logFile)}). Open:\n\n  ${url}\n\nPress Ctrl+C to stop.`);
    // spawnGroup's handlers stop the server on Ctrl+C and on exit.
    server.child.once("exit", (status) => { console.log(`start: the server stopped (${status}); see ${logFile}`); process.exit(status ?? 1); });
}
