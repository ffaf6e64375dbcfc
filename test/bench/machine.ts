/** Facts about the machine a run happened on, and whether it was too busy to trust absolute times. */
import { readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../support/models";
import type { MachineFacts } from "./results";

function packageVersion(name: string): string {
    try {
        return (
            JSON.parse(
                readFileSync(path.join(REPO_ROOT, "node_modules", name, "package.json"), "utf8")
            ) as { version: string }
        ).version;
    } catch {
        return "unknown";
    }
}

export function loadAvg(): [number, number, number] {
    const [a, b, c] = os.loadavg();
    return [round2(a!), round2(b!), round2(c!)];
}

function round2(v: number): number {
    return Math.round(v * 100) / 100;
}

export function machineFacts(): MachineFacts {
    return {
        platform: process.platform,
        arch: process.arch,
        cpuModel: os.cpus()[0]?.model ?? "unknown",
        cores: os.availableParallelism(),
        totalMemMiB: Math.round(os.totalmem() / 1024 / 1024),
        node: process.version,
        nodeLlamaCpp: packageVersion("node-llama-cpp"),
        loadAvgStart: loadAvg()
    };
}

/** A warning when the 1-minute load average exceeds the core count (absolute times are then inflated). */
export function loadWarning(
    load: readonly number[],
    cores: number,
    when: string
): string | undefined {
    const oneMinute = load[0] ?? 0;
    if (oneMinute <= cores) return undefined;
    return `The machine was loaded ${when}: load average ${oneMinute.toFixed(2)} on ${cores} cores. Absolute times are inflated; compare the ratios, which were measured side by side in the same minutes.`;
}

/** Resident memory of a process in MiB (Linux /proc), or NaN where that cannot be read. */
export function rssMiB(pid: number): number {
    try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
        return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : NaN;
    } catch {
        return NaN;
    }
}

/** CPU time (user + system, ms) a process has used so far (Linux /proc), or NaN. */
export function cpuMs(pid: number): number {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // Fields after the name start at "state" (3rd field): utime is the 14th field, stime the 15th.
        return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
        return NaN;
    }
}

/**
 * Waits until a process stops using the CPU (under 5 ms in 200 ms), at most `timeoutMs`, so work it
 * does in the background (a suggestion computed ahead) is not timed against the next engine.
 */
export async function waitForIdle(pid: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let before = cpuMs(pid);
    while (Date.now() < deadline && Number.isFinite(before)) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const now = cpuMs(pid);
        if (now - before < 5) return;
        before = now;
    }
}
