/** The llama.cpp backend, chosen once per engine process (changing `gpu` restarts the engine). */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { getLlama, getLlamaGpuTypes, LlamaLogLevel, type Llama } from "node-llama-cpp";
import type { GpuMode } from "../../shared/settings";
import { useBinaryPackages } from "../acceleration/binaryOverrides";
import {
    autoFallbackNote,
    BINARY_SCOPE,
    cudaPackagesFor,
    nvidiaDriverPresent,
    shouldOfferCuda
} from "../acceleration/cudaPackages";
import type { Logger } from "../log";
import { errorText } from "./inspectModelFile";

export interface Runtime {
    llama: Llama;
    /** A note for the user when the requested GPU backend could not be used. */
    fallbackNote?: string;
    /** An NVIDIA GPU is there and the CUDA build is not: the user may download it. */
    cudaOffer?: boolean;
}

const BACKEND_NAMES: Record<string, string> = { cuda: "CUDA", vulkan: "Vulkan", metal: "Metal" };

/** `binariesFolder` holds binary packages downloaded on request (the CUDA build); used when present. */
export async function createRuntime(
    gpu: GpuMode,
    log: Logger,
    binariesFolder?: string
): Promise<Runtime> {
    const logger = (level: LlamaLogLevel, message: string) => {
        const text = message.trimEnd();
        if (!text) return;
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal)
            log.error(`llama.cpp: ${text}`);
        else if (level === LlamaLogLevel.warn) log.warn(`llama.cpp: ${text}`);
    };
    const extra = useBinaryPackages(binariesFolder);
    if (extra.length > 0) log.info(`Binary packages from ${binariesFolder}: ${extra.join(", ")}.`);
    const base = {
        build: "never",
        skipDownload: true,
        progressLogs: false,
        logLevel: LlamaLogLevel.warn,
        logger
    } as const;
    const withOffer = (runtime: Runtime): Runtime => ({
        ...runtime,
        cudaOffer: cudaOffer(gpu, runtime.llama, extra)
    });
    if (gpu === "off") return { llama: await getLlama({ ...base, gpu: false }) };
    if (gpu === "auto") {
        const llama = await getLlama({ ...base, gpu: "auto" });
        const note =
            llama.gpu === false
                ? autoFallbackNote(await getLlamaGpuTypes("supported").catch(() => []), llama.gpu)
                : undefined;
        if (note) log.warn(note);
        return withOffer({ llama, fallbackNote: note });
    }
    try {
        return withOffer({ llama: await getLlama({ ...base, gpu }) });
    } catch (error) {
        const name = BACKEND_NAMES[gpu] ?? gpu;
        const note = `${name} could not be used (${errorText(error) || "no error text"}): this machine has no GPU or driver it can use, or the ${name} build of llama.cpp is damaged. Running on the CPU.`;
        log.warn(note);
        return withOffer({ llama: await getLlama({ ...base, gpu: false }), fallbackNote: note });
    }
}

function cudaOffer(gpu: GpuMode, llama: Llama, extra: string[]): boolean {
    const packages = cudaPackagesFor(process.platform, process.arch);
    return shouldOfferCuda({
        gpuSetting: gpu,
        gpuInUse: llama.gpu,
        nvidia: nvidiaDriverPresent(),
        cudaPackages: packages,
        cudaInstalled:
            packages.length > 0 &&
            packages.every(
                (name) =>
                    extra.includes(`${BINARY_SCOPE}/${name}`) ||
                    resolvable(`${BINARY_SCOPE}/${name}`)
            )
    });
}

function resolvable(specifier: string): boolean {
    try {
        require.resolve(specifier);
        return true;
    } catch {
        return false;
    }
}

/** node-llama-cpp's version (the binary packages must have the same). */
export function nodeLlamaCppVersion(): string {
    const entry = require.resolve("node-llama-cpp");
    // dist/index.js → the package folder
    return (
        JSON.parse(readFileSync(path.join(path.dirname(entry), "..", "package.json"), "utf8")) as {
            version: string;
        }
    ).version;
}
