// Which node-llama-cpp binary packages each platform-specific .vsix holds, and the checks that a
// package's file list holds exactly those (used by scripts/package.mjs and test/engine/package.test.ts).
import { closeSync, openSync, readSync } from "node:fs";

/** VS Code target → the @node-llama-cpp/* packages it ships, and what acceleration that gives. */
export const TARGETS = {
    "linux-x64": {
        binaries: ["linux-x64", "linux-x64-vulkan"],
        os: "linux",
        cpu: "x64",
        acceleration: "CPU and Vulkan (NVIDIA, AMD and Intel GPUs); CUDA on request"
    },
    "linux-arm64": {
        binaries: ["linux-arm64"],
        os: "linux",
        cpu: "arm64",
        acceleration: "CPU only (node-llama-cpp publishes no GPU build for Linux arm64)"
    },
    "darwin-arm64": {
        binaries: ["mac-arm64-metal"],
        os: "darwin",
        cpu: "arm64",
        acceleration: "Metal (Apple silicon GPU)"
    },
    "darwin-x64": {
        binaries: ["mac-x64"],
        os: "darwin",
        cpu: "x64",
        acceleration: "CPU only (llama.cpp does not support Metal on Intel Macs)"
    },
    "win32-x64": {
        binaries: ["win-x64", "win-x64-vulkan"],
        os: "win32",
        cpu: "x64",
        acceleration: "CPU and Vulkan (NVIDIA, AMD and Intel GPUs); CUDA on request"
    },
    "win32-arm64": {
        binaries: ["win-arm64"],
        os: "win32",
        cpu: "arm64",
        acceleration: "CPU only (node-llama-cpp publishes no GPU build for Windows arm64)"
    }
};

/** CUDA packages, downloaded on request into global storage (never shipped in a .vsix). */
export const CUDA_PACKAGES = {
    "linux-x64": ["linux-x64-cuda", "linux-x64-cuda-ext"],
    "win32-x64": ["win-x64-cuda", "win-x64-cuda-ext"]
};

export const SCOPE = "@node-llama-cpp";

/** Native code by name: Node addons and shared libraries of any OS, executables. */
const NATIVE = /\.(node|dll|exe|dylib|so)$|\.so\.\d/;

export function isNative(file) {
    return NATIVE.test(file);
}

const ELF_MACHINE = { 0x3e: "x64", 0xb7: "arm64", 0x28: "arm", 0xf3: "riscv64" };
const MACHO_CPU = { 0x01000007: "x64", 0x0100000c: "arm64" };
const PE_MACHINE = { 0x8664: "x64", 0xaa64: "arm64", 0x14c: "ia32" };

/**
 * The OS and CPUs a native file is built for, read from its header (ELF, Mach-O, universal
 * Mach-O, PE), or undefined when it is none of them. `head` is the file's first 4 KiB or more.
 */
export function binaryFormat(head) {
    if (head.length >= 20 && head.readUInt32BE(0) === 0x7f454c46) {
        return {
            os: "linux",
            cpus: [ELF_MACHINE[head.readUInt16LE(18)] ?? `elf-${head.readUInt16LE(18)}`]
        };
    }
    if (head.length >= 8 && head.readUInt32LE(0) === 0xfeedfacf) {
        return {
            os: "darwin",
            cpus: [MACHO_CPU[head.readUInt32LE(4)] ?? `macho-${head.readUInt32LE(4)}`]
        };
    }
    if (head.length >= 8 && head.readUInt32BE(0) === 0xcafebabe) {
        const count = head.readUInt32BE(4);
        const cpus = [];
        for (let i = 0; i < count && 8 + 20 * i + 4 <= head.length; i++)
            cpus.push(MACHO_CPU[head.readUInt32BE(8 + 20 * i)] ?? "unknown");
        return { os: "darwin", cpus };
    }
    if (head.length >= 64 && head.readUInt16BE(0) === 0x4d5a) {
        const pe = head.readUInt32LE(0x3c);
        if (pe + 6 <= head.length && head.readUInt32BE(pe) === 0x50450000) {
            return {
                os: "win32",
                cpus: [PE_MACHINE[head.readUInt16LE(pe + 4)] ?? `pe-${head.readUInt16LE(pe + 4)}`]
            };
        }
    }
    return undefined;
}

/**
 * Checks a package's file list (paths relative to the extension folder, "/" separated); `readHead`
 * returns a file's first bytes, to check each native file is built for the target's OS and CPU.
 * Returns the problems found; empty means the package holds exactly its platform's binaries.
 */
export function checkBinaries(target, files, readHead) {
    const spec = TARGETS[target];
    if (!spec) return [`unknown target ${target}`];
    const problems = [];
    const prefix = `node_modules/${SCOPE}/`;
    for (const name of spec.binaries) {
        const addon = `${prefix}${name}/bins/${name}/llama-addon.node`;
        if (!files.includes(addon)) problems.push(`missing ${addon}`);
        if (!files.includes(`${prefix}${name}/package.json`))
            problems.push(`missing ${prefix}${name}/package.json`);
    }
    for (const file of files) {
        if (file.startsWith(prefix)) {
            const name = file.slice(prefix.length).split("/")[0];
            if (!spec.binaries.includes(name)) {
                problems.push(`foreign package ${SCOPE}/${name}: ${file}`);
                continue;
            }
        }
        if (!isNative(file)) continue;
        if (!file.startsWith(prefix)) {
            problems.push(`native file outside the binary packages: ${file}`);
            continue;
        }
        const format = binaryFormat(readHead(file));
        if (!format) problems.push(`not a native binary of any known format: ${file}`);
        else if (format.os !== spec.os || !format.cpus.includes(spec.cpu))
            problems.push(
                `foreign binary for ${target} (${format.os} ${format.cpus.join("+")}): ${file}`
            );
    }
    return problems;
}

/** The lock file's entry of a binary package, or an error saying what is wrong with it. */
export function lockEntry(lock, name) {
    const entry = lock.packages?.[`node_modules/${SCOPE}/${name}`];
    if (!entry) throw new Error(`package-lock.json has no entry for ${SCOPE}/${name}`);
    if (!/^sha512-/.test(entry.integrity ?? ""))
        throw new Error(`package-lock.json has no sha512 integrity for ${SCOPE}/${name}`);
    return entry;
}

/**
 * The plan for a target: each binary package with its exact version and integrity from the lock,
 * checked to be node-llama-cpp's version and built for the target's OS and CPU. Throws on a mismatch.
 */
export function planTarget(lock, target) {
    const spec = TARGETS[target];
    if (!spec)
        throw new Error(`Unknown target ${target}; one of ${Object.keys(TARGETS).join(", ")}`);
    const version = lock.packages?.["node_modules/node-llama-cpp"]?.version;
    if (!version) throw new Error("package-lock.json has no node-llama-cpp");
    return spec.binaries.map((name) => {
        const entry = lockEntry(lock, name);
        if (entry.version !== version)
            throw new Error(
                `${SCOPE}/${name} is ${entry.version} in the lock, node-llama-cpp is ${version}`
            );
        if (entry.os && !entry.os.includes(spec.os))
            throw new Error(`${SCOPE}/${name} is for ${entry.os.join(", ")}, not ${spec.os}`);
        if (entry.cpu && !entry.cpu.includes(spec.cpu))
            throw new Error(`${SCOPE}/${name} is for ${entry.cpu.join(", ")}, not ${spec.cpu}`);
        return { name: `${SCOPE}/${name}`, folder: name, version, integrity: entry.integrity };
    });
}

/** A file's first 4 KiB (enough for the ELF, Mach-O and PE headers). */
export function readHead(file) {
    const fd = openSync(file, "r");
    try {
        const buffer = Buffer.alloc(4096);
        return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
    } finally {
        closeSync(fd);
    }
}
