/**
 * Preloaded into a process under test (`node --require out/test/support/noNetwork.js`): every
 * outbound connection or DNS lookup to anything but loopback is recorded to
 * $APPRENTICE_NET_LOG (one JSON line each) and refused with an error. With $APPRENTICE_NET_PROCESSES
 * set, each process that loads it appends a line there too (pid and arguments), so a test can check
 * that the recorder really ran in the processes it means to watch (NODE_OPTIONS=--require reaches
 * child processes only when their parents pass the environment on). $APPRENTICE_NET_FOLLOW_CHILDREN=1
 * makes it follow child processes whose parent scrubs NODE_OPTIONS from their environment (VS Code
 * does for its extension host) or gives them no execArgv (vscode-languageclient does): it adds
 * itself to this process's execArgv (which `fork` passes on by default) and to process.env.NODE_OPTIONS.
 */
import { appendFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";

// The mutable built-in module objects (an ES import namespace cannot be patched).
const dns = process.getBuiltinModule("node:dns");
const net = process.getBuiltinModule("node:net");

const logFile = process.env.APPRENTICE_NET_LOG;
if (process.env.APPRENTICE_NET_FOLLOW_CHILDREN === "1") {
    if (!process.execArgv.includes(__filename)) process.execArgv.push("--require", __filename);
    const require = `--require ${__filename}`;
    if (!(process.env.NODE_OPTIONS ?? "").includes(require))
        process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} ${require}`.trim();
}
if (process.env.APPRENTICE_NET_PROCESSES) {
    appendFileSync(
        process.env.APPRENTICE_NET_PROCESSES,
        `${JSON.stringify({ pid: process.pid, ppid: process.ppid, argv: process.argv.slice(1).map((a) => a.slice(0, 200)) })}\n`
    );
}

function isLoopback(host: string | undefined): boolean {
    if (!host) return true; // no host: a local (IPC) path or localhost default
    return (
        host === "localhost" ||
        host === "::1" ||
        host.startsWith("127.") ||
        host.startsWith("/") ||
        host.startsWith("\\\\")
    );
}

function refuse(kind: string, target: string): Error {
    if (logFile)
        appendFileSync(
            logFile,
            `${JSON.stringify({
                kind,
                target,
                pid: process.pid,
                at: new Date().toISOString(),
                stack: new Error().stack
                    ?.split("\n")
                    .slice(3, 16)
                    .map((l) => l.trim())
            })}\n`
        );
    const error = new Error(
        `Network access refused in this test: ${kind} ${target}`
    ) as NodeJS.ErrnoException;
    error.code = "ENETUNREACH";
    return error;
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function patchedConnect(
    this: import("node:net").Socket,
    ...args: unknown[]
) {
    const first = args[0];
    const options = (Array.isArray(first) ? first[0] : first) as
        { host?: string; port?: number; path?: string } | number | string;
    let host: string | undefined;
    let port: unknown;
    if (typeof options === "object" && options !== null) {
        host = options.path ? undefined : (options.host ?? "localhost");
        port = options.port;
    } else if (typeof options === "number") {
        host = typeof args[1] === "string" ? args[1] : "localhost";
        port = options;
    }
    if (!isLoopback(host)) {
        const error = refuse("connect", `${host}:${String(port)}`);
        process.nextTick(() => this.destroy(error));
        return this;
    }
    return (originalConnect as (...a: unknown[]) => unknown).apply(this, args);
} as typeof net.Socket.prototype.connect;

for (const name of ["lookup", "resolve", "resolve4", "resolve6"] as const) {
    const original = dns[name] as (...a: unknown[]) => unknown;
    (dns as unknown as Record<string, unknown>)[name] = (hostname: string, ...rest: unknown[]) => {
        if (isLoopback(hostname)) return original(hostname, ...rest);
        const callback = rest.at(-1);
        const error = refuse(`dns.${name}`, hostname);
        if (typeof callback === "function")
            process.nextTick(() => (callback as (e: Error) => void)(error));
        return undefined;
    };
}
for (const name of ["lookup", "resolve", "resolve4", "resolve6"] as const) {
    const original = dns.promises[name] as (...a: unknown[]) => Promise<unknown>;
    (dns.promises as unknown as Record<string, unknown>)[name] = (
        hostname: string,
        ...rest: unknown[]
    ) =>
        isLoopback(hostname)
            ? original(hostname, ...rest)
            : Promise.reject(refuse(`dns.promises.${name}`, hostname));
}
// ES module importers of node:dns see the patched functions too.
syncBuiltinESMExports();
