// The system packages code-server's install needs on Linux: a C/C++ tool chain and Python for
// node-gyp, and the Kerberos headers (`gssapi/gssapi.h`, Debian's libkrb5-dev) for its `kerberos`
// native module. Installs the missing ones with apt-get when it can (root, or password-less sudo);
// otherwise fails with the one command to run.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** What to look for, and the Debian package that provides it. */
export const REQUIREMENTS = [
    {
        what: "the Kerberos headers (gssapi/gssapi.h)",
        files: ["/usr/include/gssapi/gssapi.h", "/usr/include/gssapi.h"],
        commands: ["krb5-config"],
        apt: "libkrb5-dev"
    },
    { what: "a C++ compiler", commands: ["g++", "c++"], apt: "g++" },
    { what: "make", commands: ["make"], apt: "make" },
    { what: "Python 3 (for node-gyp)", commands: ["python3"], apt: "python3" }
];

export class SystemPackagesMissing extends Error {
    /** @param {string[]} packages @param {string} command */
    constructor(packages, command, reason) {
        super(
            `code-server needs ${packages.join(", ")}${reason ? ` (${reason})` : ""}. Run this once, then npm start again:\n\n  ${command}\n`
        );
        this.name = "SystemPackagesMissing";
        this.packages = packages;
        this.command = command;
    }
}

export function onPath(command) {
    return (
        spawnSync("sh", ["-c", 'command -v "$1"', "sh", command], { stdio: "ignore" }).status === 0
    );
}

/**
 * The Debian packages missing on this machine (none on other systems: macOS has the headers and
 * node-gyp reports its own needs there). `probe` is injectable for tests.
 */
export function missingPackages({
    platform = process.platform,
    exists = existsSync,
    has = onPath
} = {}) {
    if (platform !== "linux") return [];
    return REQUIREMENTS.filter(
        (r) => !(r.files ?? []).some((f) => exists(f)) && !(r.commands ?? []).some((c) => has(c))
    ).map((r) => r.apt);
}

/**
 * How to install `packages` here: `{ run: [argv...] }` when this process may do it itself
 * (root, or password-less sudo), and always `command`, the line to print for a person.
 */
export function installPlan(
    packages,
    {
        uid = process.getuid?.() ?? -1,
        has = onPath,
        sudoWorks = () => spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0
    } = {}
) {
    const list = packages.join(" ");
    const command = `sudo apt-get update && sudo apt-get install -y ${list}`;
    if (!has("apt-get"))
        return { command: `install ${list} (or your system's equivalent)`, run: undefined };
    const prefix = uid === 0 ? [] : has("sudo") && sudoWorks() ? ["sudo", "-n"] : undefined;
    if (!prefix) return { command, run: undefined };
    return {
        command,
        run: [
            [...prefix, "apt-get", "update"],
            [
                ...prefix,
                "env",
                "DEBIAN_FRONTEND=noninteractive",
                "apt-get",
                "install",
                "-y",
                "--no-install-recommends",
                ...packages
            ]
        ]
    };
}

/** Installs what is missing, or throws SystemPackagesMissing with the command to run. */
export function ensureSystemPackages({ log = console.log } = {}) {
    const missing = missingPackages();
    if (missing.length === 0) return [];
    const plan = installPlan(missing);
    if (!plan.run)
        throw new SystemPackagesMissing(missing, plan.command, "this process cannot install them");
    log(
        `tools: installing ${missing.join(", ")} with apt-get (code-server builds native modules with them)`
    );
    for (const argv of plan.run) {
        const result = spawnSync(argv[0], argv.slice(1), { stdio: "inherit" });
        if (result.status !== 0)
            throw new SystemPackagesMissing(
                missing,
                plan.command,
                `\`${argv.join(" ")}\` failed with exit ${result.status ?? result.signal}`
            );
    }
    const still = missingPackages();
    if (still.length > 0)
        throw new SystemPackagesMissing(still, plan.command, "still missing after apt-get install");
    return missing;
}
