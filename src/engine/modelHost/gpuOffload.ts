/** How many layers go to the GPU: all when they fit in free VRAM, fewer when not, none without a GPU. Pure. */

export interface OffloadInput {
    /** The GPU backend in use, or false for CPU only. */
    gpu: false | string;
    totalLayers: number;
    vramFreeBytes: number;
    /** VRAM the model and its context need with `layers` layers offloaded. */
    vramNeeded: (layers: number) => number;
    /** Why the CPU is used when a GPU was asked for (the backend failed to load). */
    fallbackNote?: string;
}

export interface OffloadPlan {
    gpuLayers: number;
    note: string;
}

/** Fraction of free VRAM the plan may fill (drivers and other programs need some). */
export const VRAM_USE = 0.9;

export function planGpuOffload(input: OffloadInput): OffloadPlan {
    if (input.gpu === false) {
        return {
            gpuLayers: 0,
            note: input.fallbackNote ?? "Running on the CPU (no GPU backend in use)."
        };
    }
    const name = input.gpu.toUpperCase();
    const budget = input.vramFreeBytes * VRAM_USE;
    const gib = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GiB`;
    if (input.vramNeeded(input.totalLayers) <= budget) {
        return {
            gpuLayers: input.totalLayers,
            note: `All ${input.totalLayers} layers on the ${name} GPU.`
        };
    }
    // Largest layer count that fits: the need grows with the layer count, so search.
    let low = 0;
    let high = input.totalLayers;
    while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (input.vramNeeded(mid) <= budget) low = mid;
        else high = mid - 1;
    }
    if (low === 0) {
        return {
            gpuLayers: 0,
            note: `The ${name} GPU has too little free memory (${gib(input.vramFreeBytes)}) for this model; running on the CPU.`
        };
    }
    return {
        gpuLayers: low,
        note: `${low} of ${input.totalLayers} layers on the ${name} GPU (${gib(input.vramFreeBytes)} free); the rest on the CPU.`
    };
}
