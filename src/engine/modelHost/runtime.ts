/** The llama.cpp backend, chosen once per engine process (changing `gpu` restarts the engine). */
import { getLlama, LlamaLogLevel, type Llama } from "node-llama-cpp";
import type { GpuMode } from "../../shared/settings";
import type { Logger } from "../log";
import { errorText } from "./inspectModelFile";

export interface Runtime {
    llama: Llama;
    /** A note for the user when the requested GPU backend could not be used. */
    fallbackNote?: string;
}

export async function createRuntime(gpu: GpuMode, log: Logger): Promise<Runtime> {
    const logger = (level: LlamaLogLevel, message: string) => {
        const text = message.trimEnd();
        if (!text) return;
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) log.error(`llama.cpp: ${text}`);
        else if (level === LlamaLogLevel.warn) log.warn(`llama.cpp: ${text}`);
    };
    const base = { build: "never", skipDownload: true, progressLogs: false, logLevel: LlamaLogLevel.warn, logger } as const;
    if (gpu === "off") return { llama: await getLlama({ ...base, gpu: false }) };
    if (gpu === "auto") return { llama: await getLlama({ ...base, gpu: "auto" }) };
    try {
        return { llama: await getLlama({ ...base, gpu }) };
    } catch (error) {
        const note = `The ${gpu.toUpperCase()} backend could not be loaded (${errorText(error)}); running on the CPU.`;
        log.warn(note);
        return { llama: await getLlama({ ...base, gpu: false }), fallbackNote: note };
    }
}
