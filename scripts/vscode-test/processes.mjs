// Small process helpers shared by the VS Code test scripts: free ports on 127.0.0.1, servers in their
// own process group (so stopping one stops its watchers and extension hosts too), HTTP readiness,
// and data folders kept inside the work tree.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

const groups = new Set();

/** Stops a process group started by `spawnGroup`: TERM, then KILL after `graceMs`. */
export async function killGroup(child, graceMs = 3000) {
    groups.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) {
        try {
            process.kill(-child.pid, "SIGKILL");
        } catch {
            /* already gone */
        }
        return;
    }
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
        process.kill(-child.pid, "SIGTERM");
    } catch {
        return;
    }
    const timer = setTimeout(() => {
        try {
            process.kill(-child.pid, "SIGKILL");
        } catch {
            /* gone */
        }
    }, graceMs);
    await exited;
    clearTimeout(timer);
    try {
        process.kill(-child.pid, "SIGKILL");
    } catch {
        /* the whole group is gone */
    }
}

/** Kills every group still running (synchronously, for exit handlers). */
export function killAllGroups() {
    for (const child of groups) {
        try {
            process.kill(-child.pid, "SIGKILL");
        } catch {
            /* gone */
        }
    }
    groups.clear();
}
let handlersInstalled = false;
/** On exit or a signal, stop every group still running (installed with the first group). */
function installExitHandlers() {
    if (handlersInstalled) return;
    handlersInstalled = true;
    process.once("exit", killAllGroups);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
        process.once(signal, () => {
            killAllGroups();
            process.exit(130);
        });
    }
}

/** Starts a command as the leader of a new process group, its output going to `logFile`. */
export function spawnGroup(command, args, { logFile, env, cwd } = {}) {
    installExitHandlers();
    mkdirSync(path.dirname(logFile), { recursive: true });
    const log = createWriteStream(logFile);
    const child = spawn(command, args, {
        cwd,
        env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"]
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    groups.add(child);
    child.once("exit", () => groups.delete(child));
    return child;
}

/** Resolves when `url` answers (any HTTP status below 500); rejects after `timeoutMs` or when `child` exits. */
export async function waitForHttp(url, { timeoutMs = 60_000, child, logFile } = {}) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (child && child.exitCode !== null)
            throw new Error(
                `The server exited with ${child.exitCode} before answering ${url}; see ${logFile}`
            );
        try {
            const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
            if (response.status < 500) return;
        } catch {
            /* not up yet */
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
    }
    throw new Error(`${url} did not answer within ${timeoutMs / 1000} s; see ${logFile}`);
}

/** XDG folders and TMPDIR inside `dir` (git-ignored), so nothing is written to the home folder. */
export function sandboxEnv(dir, base = process.env) {
    const env = {
        ...base,
        XDG_CONFIG_HOME: path.join(dir, "xdg-config"),
        XDG_DATA_HOME: path.join(dir, "xdg-data"),
        XDG_CACHE_HOME: path.join(dir, "xdg-cache"),
        TMPDIR: path.join(dir, "tmp")
    };
    for (const key of ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "TMPDIR"])
        mkdirSync(env[key], { recursive: true });
    return env;
}
