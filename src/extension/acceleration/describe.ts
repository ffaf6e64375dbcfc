/** Words for what runs where (backend, GPU, layers on it), for the status bar hover. Pure. */
import type { ModelFacts } from "../../shared/status";

const BACKENDS: Record<ModelFacts["device"], string> = {
    cpu: "CPU",
    cuda: "CUDA",
    vulkan: "Vulkan",
    metal: "Metal"
};

/** E.g. "Backend: Vulkan · GPU: AMD Radeon RX 7600 · 28 of 28 layers on the GPU". */
export function describeAcceleration(m: ModelFacts): string {
    if (m.device === "cpu")
        return `Backend: CPU, ${m.threads} thread${m.threads === 1 ? "" : "s"} · no layers on a GPU`;
    const gpu = m.gpuNames.length > 0 ? m.gpuNames.join(", ") : "unnamed device";
    const layers =
        m.totalLayers !== undefined
            ? `${m.gpuLayers} of ${m.totalLayers} layers`
            : `${m.gpuLayers} layers`;
    return `Backend: ${BACKENDS[m.device]} · GPU: ${gpu} · ${layers} on the GPU`;
}

export const CUDA_OFFER_TEXT = "Enable CUDA acceleration";
