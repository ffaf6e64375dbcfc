/** Which node-llama-cpp packages hold the CUDA build on this platform, and whether an NVIDIA GPU is there. */
import { existsSync } from "node:fs";
import * as path from "node:path";

export const BINARY_SCOPE = "@node-llama-cpp";

/** The CUDA build and its runtime libraries (`-ext`); none where node-llama-cpp publishes no CUDA build. */
export function cudaPackagesFor(platform: NodeJS.Platform, arch: string): string[] {
    if (arch !== "x64") return [];
    if (platform === "linux") return ["linux-x64-cuda", "linux-x64-cuda-ext"];
    if (platform === "win32") return ["win-x64-cuda", "win-x64-cuda-ext"];
    return [];
}

/** Test hook: `APPRENTICE_TEST_ASSUME_NVIDIA=1` makes the engine behave as if an NVIDIA GPU were present. */
export const ASSUME_NVIDIA_ENV = "APPRENTICE_TEST_ASSUME_NVIDIA";

/**
 * Whether the NVIDIA driver is installed (the same signs node-llama-cpp looks for): its kernel
 * module on Linux, its management library on Windows. Reads a few paths, no process is started.
 */
export function nvidiaDriverPresent(
    platform: NodeJS.Platform = process.platform,
    env: NodeJS.ProcessEnv = process.env,
    exists: (file: string) => boolean = existsSync
): boolean {
    if (env[ASSUME_NVIDIA_ENV] === "1") return true;
    if (platform === "linux")
        return exists("/proc/driver/nvidia/version") || exists("/dev/nvidiactl");
    if (platform === "win32")
        return exists(
            path.join(env.SystemRoot ?? env.windir ?? "C:\\Windows", "System32", "nvml.dll")
        );
    return false;
}

export interface CudaOfferInput {
    gpuSetting: string;
    /** The backend in use (false: CPU). */
    gpuInUse: false | string;
    nvidia: boolean;
    cudaPackages: string[];
    /** Whether the CUDA build is installed (in node_modules or the binaries folder). */
    cudaInstalled: boolean;
}

/** The status bar offers "Enable CUDA Acceleration" when an NVIDIA GPU is there and its build is not. Pure. */
export function shouldOfferCuda(input: CudaOfferInput): boolean {
    return (
        input.nvidia &&
        input.cudaPackages.length > 0 &&
        !input.cudaInstalled &&
        input.gpuInUse !== "cuda" &&
        (input.gpuSetting === "auto" || input.gpuSetting === "cuda")
    );
}

/**
 * With `auto`, node-llama-cpp falls back to the CPU by itself when a GPU build fails to load. When
 * this machine has a GPU type node-llama-cpp considers usable and the CPU is used anyway, say so. Pure.
 */
export function autoFallbackNote(
    supported: readonly (string | false)[],
    inUse: false | string
): string | undefined {
    if (inUse !== false) return undefined;
    const names: Record<string, string> = { cuda: "CUDA", vulkan: "Vulkan", metal: "Metal" };
    const gpus = supported.filter((t): t is string => t !== false).map((t) => names[t] ?? t);
    if (gpus.length === 0) return undefined;
    return `This machine supports ${gpus.join(" and ")}, but its llama.cpp build could not be loaded (see the log); running on the CPU.`;
}
