/**
 * Owns the loaded model: one LlamaModel and one context with a sequence for inline completion
 * and one for chat (each with its scheduler), sized within the memory budget. Reloads when the settings change, reports
 * its state, and disposes everything it made.
 */
import * as os from "node:os";
import { Emitter, type Event } from "vscode-languageserver";
import type { LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import { DEFAULT_SETTINGS, type EngineSettings } from "../../shared/settings";
import type { EngineStatus, ModelFacts } from "../../shared/status";
import type { Logger } from "../log";
import { isLoadCancelledError, LoadCancelledError, ModelFileError } from "./errors";
import { errorText, inspectModelFile } from "./inspectModelFile";
import { planGpuOffload } from "./gpuOffload";
import {
    DEFAULT_CONTEXT,
    defaultBudgetBytes,
    defaultThreads,
    formatBytes,
    planMemory
} from "./memoryPlan";
import type { Runtime } from "./runtime";
import type { SequenceScheduler } from "./sequenceScheduler";
import { createSequences } from "./sequences";

/**
 * A model ready for work. Features take their sequence from here and must not dispose it; every job
 * on a sequence runs through that sequence's scheduler (one job at a time).
 */
export interface LoadedModel {
    readonly model: LlamaModel;
    readonly context: LlamaContext;
    readonly completionSequence: LlamaContextSequence;
    readonly completionScheduler: SequenceScheduler;
    readonly chatSequence: LlamaContextSequence;
    readonly chatScheduler: SequenceScheduler;
    readonly facts: ModelFacts;
}

export const SEQUENCES = 2;

export class ModelHost {
    private readonly statusEmitter = new Emitter<EngineStatus>();
    private readonly modelEmitter = new Emitter<LoadedModel | undefined>();
    private _status: EngineStatus = { state: "starting" };
    private _loaded: LoadedModel | undefined;
    private settings: EngineSettings = DEFAULT_SETTINGS;
    private loadAbort: AbortController | undefined;
    /** Serializes loads and unloads. */
    private queue: Promise<void> = Promise.resolve();
    private disposed = false;

    readonly onDidChangeStatus: Event<EngineStatus> = this.statusEmitter.event;
    /** Fires with the new model after a load, and with `undefined` before the old one is disposed. */
    readonly onDidChangeModel: Event<LoadedModel | undefined> = this.modelEmitter.event;

    constructor(
        readonly runtime: Promise<Runtime>,
        private readonly log: Logger
    ) {}

    get status(): EngineStatus {
        return this._status;
    }
    get loaded(): LoadedModel | undefined {
        return this._loaded;
    }

    /** Applies settings; loads, reloads or unloads the model as needed. Resolves when done. */
    configure(settings: EngineSettings): Promise<void> {
        const previous = this.settings;
        this.settings = settings;
        const needsReload =
            this._status.state === "starting" ||
            this._status.state === "error" ||
            previous.modelPath !== settings.modelPath ||
            previous.contextSize !== settings.contextSize ||
            previous.threads !== settings.threads ||
            previous.memoryBudgetMB !== settings.memoryBudgetMB;
        if (!needsReload) return this.queue;
        this.loadAbort?.abort();
        const abort = new AbortController();
        this.loadAbort = abort;
        this.queue = this.queue
            .then(() => this.reload(settings, abort.signal))
            .catch((error) => {
                this.log.error(`Unexpected failure while loading: ${errorText(error)}`);
            });
        return this.queue;
    }

    private async reload(settings: EngineSettings, signal: AbortSignal): Promise<void> {
        if (signal.aborted || this.disposed) return;
        await this.unload();
        if (!settings.modelPath) {
            this.setStatus({
                state: "noModel",
                message: "No model file is set. Choose a GGUF model file to start."
            });
            return;
        }
        this.setStatus({ state: "loading", modelPath: settings.modelPath, progress: 0 });
        try {
            const loaded = await this.load(settings, signal);
            if (signal.aborted || this.disposed) {
                await disposeLoaded(loaded);
                return;
            }
            this._loaded = loaded;
            this.modelEmitter.fire(loaded);
            this.setStatus({ state: "ready", model: loaded.facts });
            this.log.info(
                `Model ready: ${loaded.facts.name}, context ${loaded.facts.contextSize}, ${loaded.facts.device}, ${loaded.facts.threads} threads, ${loaded.facts.loadMs} ms.`
            );
        } catch (error) {
            if (isLoadCancelledError(error) || signal.aborted) return;
            const fileError =
                error instanceof ModelFileError
                    ? error
                    : classifyLoadError(error, settings.modelPath);
            this.log.error(`Model error (${fileError.code}): ${fileError.message}`);
            this.setStatus({
                state: "error",
                code: fileError.code,
                modelPath: settings.modelPath,
                message: fileError.message,
                action: fileError.action
            });
        }
    }

    private async load(settings: EngineSettings, signal: AbortSignal): Promise<LoadedModel> {
        const started = performance.now();
        const { llama, fallbackNote, cudaOffer } = await this.runtime;
        const inspected = await inspectModelFile(settings.modelPath, llama);
        if (signal.aborted) throw new LoadCancelledError();

        const threads =
            settings.threads > 0 ? settings.threads : defaultThreads(os.availableParallelism());
        const vramContext = settings.contextSize > 0 ? settings.contextSize : DEFAULT_CONTEXT;
        const offload = planGpuOffload({
            gpu: llama.gpu,
            totalLayers: inspected.insights.totalLayers,
            vramFreeBytes: llama.gpu === false ? 0 : (await llama.getVramState()).free,
            vramNeeded: (layers) =>
                inspected.insights.estimateModelResourceRequirements({ gpuLayers: layers })
                    .gpuVram +
                inspected.insights.estimateContextResourceRequirements({
                    contextSize: vramContext,
                    sequences: SEQUENCES,
                    modelGpuLayers: layers
                }).gpuVram,
            fallbackNote
        });
        const gpuLayers = offload.gpuLayers;
        const modelBytes = inspected.insights.estimateModelResourceRequirements({
            gpuLayers
        }).cpuRam;
        const budgetBytes =
            settings.memoryBudgetMB > 0
                ? settings.memoryBudgetMB * 1024 * 1024
                : defaultBudgetBytes(os.totalmem());
        const plan = planMemory({
            modelBytes,
            contextBytes: (contextSize) =>
                inspected.insights.estimateContextResourceRequirements({
                    contextSize,
                    sequences: SEQUENCES,
                    modelGpuLayers: gpuLayers
                }).cpuRam,
            budgetBytes,
            requestedContext: settings.contextSize,
            trainContextSize: inspected.insights.trainContextSize ?? 0
        });
        if (!plan.ok) {
            throw new ModelFileError(
                "tooBig",
                `${inspected.name} needs about ${formatBytes(plan.neededBytes)} of memory, more than the ${formatBytes(plan.budgetBytes)} Apprentice may use on this machine.`,
                plan.explicitContext
                    ? "Lower apprentice.contextSize, raise apprentice.memoryBudgetMB, or choose a smaller model."
                    : "Choose a smaller model or a smaller quantization (for example Q4_K_M), or raise apprentice.memoryBudgetMB."
            );
        }
        if (plan.reduced)
            this.log.warn(
                `Context reduced to ${plan.contextSize} tokens to fit the memory budget of ${formatBytes(budgetBytes)}.`
            );

        let model: LlamaModel;
        try {
            model = await llama.loadModel({
                modelPath: inspected.path,
                gpuLayers,
                loadSignal: signal,
                onLoadProgress: (progress) =>
                    this.setStatus({ state: "loading", modelPath: settings.modelPath, progress })
            });
        } catch (error) {
            if (signal.aborted) throw new LoadCancelledError();
            throw classifyLoadError(error, settings.modelPath);
        }
        let context: LlamaContext;
        try {
            context = await model.createContext({
                contextSize: plan.contextSize,
                sequences: SEQUENCES,
                threads,
                createSignal: signal
            });
        } catch (error) {
            await model.dispose();
            if (signal.aborted) throw new LoadCancelledError();
            throw new ModelFileError(
                "loadFailed",
                `The model loaded, but a context of ${plan.contextSize} tokens could not be created (${errorText(error)}).`,
                "Lower apprentice.contextSize, or choose a smaller model.",
                { cause: error }
            );
        }
        const device = llama.gpu === false ? "cpu" : llama.gpu;
        const facts: ModelFacts = {
            name: inspected.name,
            path: inspected.path,
            architecture: inspected.architecture,
            contextSize: context.contextSize,
            trainContextSize: model.trainContextSize,
            device,
            gpuNames: device === "cpu" ? [] : await llama.getGpuDeviceNames().catch(() => []),
            gpuLayers: model.gpuLayers,
            totalLayers: inspected.insights.totalLayers,
            cudaOffer,
            threads,
            sizeBytes: inspected.sizeBytes,
            fim:
                model.tokens.infill.prefix != null &&
                model.tokens.infill.suffix != null &&
                model.tokens.infill.middle != null,
            chatTemplate: typeof model.fileInfo.metadata?.tokenizer?.chat_template === "string",
            loadMs: Math.round(performance.now() - started),
            note: offload.note
        };
        return { model, context, ...createSequences(context), facts };
    }

    private async unload(): Promise<void> {
        const loaded = this._loaded;
        if (!loaded) return;
        this._loaded = undefined;
        this.modelEmitter.fire(undefined);
        await disposeLoaded(loaded);
    }

    private setStatus(status: EngineStatus): void {
        if (this.disposed) return;
        this._status = status;
        this.statusEmitter.fire(status);
    }

    async dispose(): Promise<void> {
        this.loadAbort?.abort();
        await this.queue;
        this.disposed = true;
        await this.unload();
        this.statusEmitter.dispose();
        this.modelEmitter.dispose();
    }
}

async function disposeLoaded(loaded: LoadedModel): Promise<void> {
    await loaded.context.dispose();
    await loaded.model.dispose();
}

/** Maps a native load failure to a message a user can act on. */
function classifyLoadError(error: unknown, modelPath: string): ModelFileError {
    const text = errorText(error);
    if (/unknown model architecture/i.test(text)) {
        return new ModelFileError(
            "unsupportedArchitecture",
            `llama.cpp cannot run this model's architecture (${text}).`,
            "Choose a model of a supported architecture.",
            { cause: error }
        );
    }
    if (/memory|VRAM|RAM/i.test(text)) {
        return new ModelFileError(
            "tooBig",
            `Not enough memory to load the model (${text}).`,
            "Choose a smaller model or quantization, or close other programs.",
            { cause: error }
        );
    }
    return new ModelFileError(
        "loadFailed",
        `llama.cpp could not load ${modelPath} (${text}).`,
        "Download the model again, or choose another GGUF file.",
        { cause: error }
    );
}
