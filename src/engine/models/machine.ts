/** The machine as node-llama-cpp sees it: cores, RAM, the GPU backend in use and its VRAM. */
import * as os from "node:os";
import type { Llama } from "node-llama-cpp";
import type { MachineProfile } from "../../shared/modelsProtocol";

export async function detectMachine(llama: Llama | undefined): Promise<MachineProfile> {
    const base = {
        cores: os.availableParallelism(),
        totalRamBytes: os.totalmem(),
        freeRamBytes: os.freemem()
    };
    if (!llama || llama.gpu === false)
        return { ...base, gpu: "cpu", gpuNames: [], vramBytes: 0, unifiedMemory: false };
    const [vram, names] = await Promise.all([
        llama.getVramState().catch(() => ({ total: 0, unifiedSize: 0 })),
        llama.getGpuDeviceNames().catch(() => [] as string[])
    ]);
    return {
        ...base,
        gpu: llama.gpu,
        gpuNames: names,
        vramBytes: vram.total,
        unifiedMemory: vram.unifiedSize > 0
    };
}
