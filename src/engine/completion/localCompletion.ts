/**
 * Inline completion on this machine's model, the tuned path: the FIM prompt in llama.cpp's after-mid
 * layout within a token budget (promptBuilder), generated on the model host's completion sequence
 * with KV-cache reuse (CompletionSession), stopped early by the post-processing rules, each token's
 * probability kept for the confidence filter when the filter is on (it costs node-llama-cpp a sort
 * of the vocabulary per token; with the filter off a suggestion's confidence is 1, as a server's).
 * LocalInference and FallbackInference both use it.
 */
import { UNSUPPORTED_MESSAGE } from "../../shared/completionProtocol";
import { readFimFormat, type FimFormat } from "../fim/fimTokens";
import type { CompletionJob, CompletionProduct, RawSuggestion } from "../inference/inference";
import type { Logger } from "../log";
import type { LoadedModel, ModelHost } from "../modelHost/modelHost";
import type { SchedulerCounters } from "../modelHost/sequenceScheduler";
import { trimCompletion } from "./postprocess";
import { buildPrompt } from "./promptBuilder";
import { CompletionSession, type Generation } from "./session";
import { vocabularyIndex } from "./tokenHealing";

interface ModelState {
    loaded: LoadedModel;
    format: FimFormat | undefined;
    session: CompletionSession | undefined;
}

export class LocalCompletion {
    private state: ModelState | undefined;
    private readonly subscription: { dispose(): void };

    constructor(host: ModelHost, log: Logger) {
        const onModel = (loaded: LoadedModel | undefined) => {
            if (!loaded) {
                this.state = undefined;
                return;
            }
            const format = readFimFormat(loaded.model);
            if (!format) log.warn(`Inline completion is off: ${UNSUPPORTED_MESSAGE}`);
            else void vocabularyIndex(loaded.model); // for token healing, built in the background
            this.state = {
                loaded,
                format,
                session: format
                    ? new CompletionSession(
                          loaded.completionSequence,
                          loaded.completionScheduler,
                          loaded.model
                      )
                    : undefined
            };
        };
        this.subscription = host.onDidChangeModel(onModel);
        if (host.loaded) onModel(host.loaded);
    }

    /** Most generations that ran / waited at once on the completion sequence; undefined without a FIM model. */
    get peaks(): SchedulerCounters | undefined {
        return this.state?.session?.peaks;
    }

    /** Whether the loaded model has FIM tokens; undefined while no model is loaded. */
    get fimSupported(): boolean | undefined {
        return this.state ? this.state.format !== undefined : undefined;
    }

    async complete(job: CompletionJob): Promise<CompletionProduct> {
        const current = this.state;
        if (!current)
            return {
                kind: "refused",
                meta: { state: "noModel", message: "No model is loaded. Choose a GGUF model file." }
            };
        if (!current.format || !current.session)
            return {
                kind: "refused",
                meta: { state: "unsupported", message: UNSUPPORTED_MESSAGE }
            };
        const started = performance.now();
        const format = current.format;
        const prompt = buildPrompt(current.loaded.model, format, {
            prefix: job.window.prefix,
            suffix: job.window.suffix,
            path: job.path,
            chunks: job.chunks,
            budget: Math.min(
                job.options.promptTokens,
                current.loaded.completionSequence.contextSize - job.options.maxTokens - 8
            ),
            heal: true
        });
        const buildMs = performance.now() - started;
        // The filter is the only reader of the probabilities; a suggestion computed without them
        // (confidence 1) passes any filter, also from the result cache if the setting is raised later.
        const confidence = job.options.minConfidence > 0;
        const generations: Generation[] = [];
        for (let i = 0; i < job.alternatives && !job.signal.aborted; i++) {
            generations.push(
                await current.session.generate(prompt.tokens, {
                    maxTokens: job.options.maxTokens,
                    shouldStop: (text) =>
                        trimCompletion(text, job.window, job.options.maxLines).stop,
                    stopTokens: format.stopTokens,
                    temperature: i === 0 ? 0 : 0.8,
                    seed: i,
                    signal: job.signal,
                    timeAfterFirstLineMs: job.options.timeAfterFirstLineMs,
                    promptSlice: job.background?.promptSlice,
                    heal: prompt.heal,
                    confidence
                })
            );
        }
        // Aborted, or the model changed under it (its sequence is gone): nothing to show.
        if (
            job.signal.aborted ||
            generations.length === 0 ||
            generations.some((g) => g.aborted) ||
            this.state !== current
        )
            return { kind: "cancelled" };
        const first = generations[0];
        return {
            kind: "generated",
            suggestions: generations.map((g): RawSuggestion => ({
                text: g.text,
                confidence: confidence ? mean(g.confidences) : 1
            })),
            timings: {
                source: "model",
                promptTokens: first.promptTokens,
                evaluatedTokens: generations.reduce((n, g) => n + g.evaluatedTokens, 0),
                reusedTokens: first.reusedTokens,
                generatedTokens: generations.reduce((n, g) => n + g.generatedTokens, 0),
                draftedTokens: generations.reduce((n, g) => n + g.draftedTokens, 0),
                acceptedDraftTokens: generations.reduce((n, g) => n + g.acceptedDraftTokens, 0),
                buildMs: round(buildMs),
                promptMs: round(first.promptMs),
                generateMs: round(generations.reduce((n, g) => n + g.generateMs, 0))
            }
        };
    }

    dispose(): void {
        this.subscription.dispose();
        this.state = undefined;
    }
}

function mean(values: readonly number[]): number {
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

export function round(ms: number): number {
    return Math.round(ms * 10) / 10;
}
