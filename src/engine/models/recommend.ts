/**
 * Which catalog models suit a machine: fit (memory), expected speed (memory bandwidth), and the
 * recommended pick for inline completion and for chat. Pure functions over a MachineProfile.
 */
import { CATALOG, memoryNeeded, type CatalogEntry, type ModelRole } from "../../shared/catalog";
import type {
    Assessment,
    CatalogItem,
    Fit,
    MachineProfile,
    Recommendation,
    SpeedClass
} from "../../shared/modelsProtocol";
import { defaultBudgetBytes } from "../modelHost/memoryPlan";

export const ASSESS_CONTEXT = 4096;
/** Completion runs on every keystroke: it needs this generation speed at least. */
export const MIN_COMPLETION_TPS = 15;
/** Chat answers are read as they stream: "usable" speed. */
export const MIN_CHAT_TPS = 8;
const GIB = 1024 ** 3;

/** Memory bandwidth the CPU reaches with all cores; generation reads every weight once per token. */
export function cpuBandwidth(cores: number): number {
    return Math.min(40e9, 6e9 * Math.max(1, cores));
}

export function gpuBandwidth(machine: MachineProfile): number {
    if (machine.gpu === "cpu") return 0;
    if (machine.gpu === "metal" || machine.unifiedMemory) return 100e9;
    return 300e9;
}

/** Memory usable for weights and context: the RAM budget, and on a discrete GPU 90% of its VRAM. */
function usableVram(machine: MachineProfile): number {
    return machine.gpu === "cpu" || machine.unifiedMemory ? 0 : machine.vramBytes * 0.9;
}

export function speedClass(tokensPerSecond: number): SpeedClass {
    return tokensPerSecond >= 25 ? "fast" : tokensPerSecond >= MIN_CHAT_TPS ? "usable" : "slow";
}

export function assess(entry: CatalogEntry, machine: MachineProfile): Assessment {
    const memoryBytes = memoryNeeded(entry, ASSESS_CONTEXT);
    const ramBudget = defaultBudgetBytes(machine.totalRamBytes);
    const vram = usableVram(machine);
    const gpuBw = gpuBandwidth(machine);
    const cpuBw = cpuBandwidth(machine.cores);
    let device: Assessment["device"];
    let secondsPerToken: number;
    let available: number;
    if (machine.gpu !== "cpu" && machine.unifiedMemory) {
        device = "gpu";
        available = ramBudget;
        secondsPerToken = entry.sizeBytes / gpuBw;
    } else if (vram > 0 && memoryBytes <= vram) {
        device = "gpu";
        available = vram;
        secondsPerToken = entry.sizeBytes / gpuBw;
    } else if (vram > 0) {
        // Some layers on the GPU, the rest on the CPU: the CPU part dominates.
        device = "partial";
        available = vram + ramBudget;
        const onGpu = entry.sizeBytes * Math.min(1, vram / memoryBytes);
        secondsPerToken = onGpu / gpuBw + (entry.sizeBytes - onGpu) / cpuBw;
    } else {
        device = "cpu";
        available = ramBudget;
        secondsPerToken = entry.sizeBytes / cpuBw;
    }
    const fit: Fit =
        memoryBytes <= available * 0.75 ? "fits" : memoryBytes <= available ? "tight" : "tooBig";
    const tokensPerSecond = Math.round(10 / secondsPerToken) / 10;
    return { fit, speed: speedClass(tokensPerSecond), tokensPerSecond, memoryBytes, device };
}

interface Candidate {
    entry: CatalogEntry;
    assessment: Assessment;
}

/** Larger models first; the same size prefers the finer quantization (larger file). */
function better(a: Candidate, b: Candidate): number {
    return b.entry.params - a.entry.params || b.entry.sizeBytes - a.entry.sizeBytes;
}

function pick(candidates: Candidate[], role: ModelRole, minTps: number): Candidate | undefined {
    return candidates
        .filter((c) => c.entry.roles.includes(role) && (role !== "completion" || c.entry.fim))
        .filter((c) => c.assessment.fit === "fits" && c.assessment.tokensPerSecond >= minTps)
        .sort(better)[0];
}

export function recommend(
    machine: MachineProfile,
    catalog: readonly CatalogEntry[] = CATALOG
): Recommendation {
    const candidates = catalog.map((entry) => ({ entry, assessment: assess(entry, machine) }));
    const completion =
        pick(candidates, "completion", MIN_COMPLETION_TPS) ??
        // A slow machine still gets the smallest completion model that fits, rather than nothing.
        candidates
            .filter((c) => c.entry.fim && c.assessment.fit !== "tooBig")
            .sort((a, b) => a.entry.sizeBytes - b.entry.sizeBytes)[0];
    // For chat prefer the reasoning family when sizes are equal; a chat model no larger than the
    // completion model adds nothing, so then the completion model serves both jobs.
    const chatCandidates = candidates.filter((c) => c.entry.id !== completion?.entry.id);
    const chatPick = pick(
        chatCandidates.filter((c) => !c.entry.fim),
        "chat",
        MIN_CHAT_TPS
    );
    const codePick = pick(chatCandidates, "chat", MIN_CHAT_TPS);
    let chat =
        chatPick && codePick && codePick.entry.params > chatPick.entry.params
            ? codePick
            : (chatPick ?? codePick);
    if (
        chat &&
        completion &&
        chat.entry.params <= completion.entry.params &&
        completion.entry.roles.includes("chat")
    )
        chat = completion;
    if (!chat && completion?.entry.roles.includes("chat")) chat = completion;

    const budget = defaultBudgetBytes(machine.totalRamBytes) + usableVram(machine);
    const both =
        (completion?.assessment.memoryBytes ?? 0) +
        (chat && chat !== completion ? chat.assessment.memoryBytes : 0);
    const bothFit = both <= budget;
    const where =
        machine.gpu === "cpu"
            ? `${machine.cores} CPU cores`
            : `${machine.gpu.toUpperCase()} GPU with ${(machine.vramBytes / GIB).toFixed(0)} GiB`;
    const reason = !completion
        ? `No catalog model fits in ${(budget / GIB).toFixed(1)} GiB of memory on this machine; choose a GGUF file of your own.`
        : `${(machine.totalRamBytes / GIB).toFixed(0)} GiB RAM and ${where}: ${completion.entry.name} completes at about ${completion.assessment.tokensPerSecond} tokens/s` +
          (chat && chat !== completion
              ? `; ${chat.entry.name} for chat at about ${chat.assessment.tokensPerSecond} tokens/s${bothFit ? "" : " (load one at a time)"}`
              : ", and also serves chat") +
          ".";
    return { completion: completion?.entry.id, chat: chat?.entry.id, bothFit, reason };
}

/** The catalog for a picker: recommended first, then what fits, faster first, then larger first. */
export function rankCatalog(
    machine: MachineProfile,
    installedIds: ReadonlySet<string>,
    catalog: readonly CatalogEntry[] = CATALOG
): CatalogItem[] {
    const rec = recommend(machine, catalog);
    const fitOrder: Record<Fit, number> = { fits: 0, tight: 1, tooBig: 2 };
    const speedOrder: Record<SpeedClass, number> = { fast: 0, usable: 1, slow: 2 };
    return catalog
        .map((entry): CatalogItem => {
            const recommendedFor: ModelRole[] = [];
            if (rec.completion === entry.id) recommendedFor.push("completion");
            if (rec.chat === entry.id) recommendedFor.push("chat");
            return {
                entry,
                assessment: assess(entry, machine),
                recommendedFor,
                installed: installedIds.has(entry.id)
            };
        })
        .sort(
            (a, b) =>
                recommendedRank(b) - recommendedRank(a) ||
                fitOrder[a.assessment.fit] - fitOrder[b.assessment.fit] ||
                speedOrder[a.assessment.speed] - speedOrder[b.assessment.speed] ||
                better(a, b)
        );
}

function recommendedRank(item: CatalogItem): number {
    return (
        (item.recommendedFor.includes("completion") ? 2 : 0) +
        (item.recommendedFor.includes("chat") ? 1 : 0)
    );
}
