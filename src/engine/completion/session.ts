/**
 * Runs FIM generations on the model host's long-lived completion sequence, reusing its KV cache:
 * only the prompt tokens after the first one that differs from what the sequence already holds
 * are evaluated. One generation at a time (the sequence's scheduler, owned by the model host); a new
 * one waits for the previous to stop, a waiting one that is aborted leaves at once, and an abort
 * stops generation at the next token.
 */
import type { LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import type { SchedulerCounters, SequenceScheduler } from "../modelHost/sequenceScheduler";
import { canShiftPositions, planShiftedReuse } from "./shiftedReuse";

/** Prompt tokens evaluated between two abort checks. */
const PROMPT_SLICE = 96;

export interface GenerateOptions {
    maxTokens: number;
    /** Called with the text so far after each token; return true to stop. */
    shouldStop(text: string): boolean;
    /** Tokens that end the suggestion (FIM tokens, file separators). */
    stopTokens: ReadonlySet<Token>;
    /** 0 for greedy (the first alternative); more for the others. */
    temperature: number;
    seed?: number;
    signal: AbortSignal;
    /** Milliseconds allowed after the first line is complete. */
    timeAfterFirstLineMs: number;
    /** Prompt tokens evaluated between two abort checks (default PROMPT_SLICE); background work uses fewer, to yield sooner. */
    promptSlice?: number;
}

export interface Generation {
    text: string;
    /** Probabilities of the generated tokens. */
    confidences: number[];
    promptTokens: number;
    evaluatedTokens: number;
    reusedTokens: number;
    generatedTokens: number;
    promptMs: number;
    generateMs: number;
    aborted: boolean;
}

function emptyGeneration(prompt: Token[], aborted: boolean, reused = 0): Generation {
    return {
        text: "", confidences: [], promptTokens: prompt.length, evaluatedTokens: 0, reusedTokens: reused,
        generatedTokens: 0, promptMs: 0, generateMs: 0, aborted
    };
}

export class CompletionSession {
    private readonly canShift: boolean;

    constructor(private readonly sequence: LlamaContextSequence, private readonly scheduler: SequenceScheduler, private readonly model: LlamaModel) {
        this.canShift = canShiftPositions(model.fileInfo.metadata?.general?.architecture);
    }

    /** How many generations ever ran or waited at once (for stats and the typing-storm test). */
    get peaks(): SchedulerCounters { return this.scheduler.peaks; }

    /** Generates after `prompt`; one at a time on this session. */
    generate(prompt: Token[], options: GenerateOptions): Promise<Generation> {
        return this.scheduler.run(() => this.run(prompt, options), options.signal, () => emptyGeneration(prompt, true));
    }

    private async run(prompt: Token[], options: GenerateOptions): Promise<Generation> {
        const empty = (aborted: boolean, reused = 0): Generation => emptyGeneration(prompt, aborted, reused);
        if (options.signal.aborted || this.sequence.disposed) return empty(true);
        const started = performance.now();
        // Keep the common prefix of the KV cache, erase the rest (including the last suggestion).
        let { firstDifferentIndex } = this.sequence.compareContextTokens(prompt);
        if (this.canShift && firstDifferentIndex < prompt.length - 1 && firstDifferentIndex < this.sequence.nextTokenIndex) {
            // The head was cut (the cursor moved down): move what follows into place instead of evaluating it again.
            const plan = planShiftedReuse(this.sequence.contextTokens, prompt, firstDifferentIndex);
            if (plan.erase.length > 0) {
                await this.sequence.eraseContextTokenRanges(plan.erase);
                firstDifferentIndex = this.sequence.compareContextTokens(prompt).firstDifferentIndex;
            }
        }
        // At least one token must be evaluated to get the next token's probabilities.
        const keep = Math.min(firstDifferentIndex, prompt.length - 1);
        if (keep < this.sequence.nextTokenIndex) {
            await this.sequence.eraseContextTokenRanges([{ start: keep, end: this.sequence.nextTokenIndex }]);
        }
        const reused = this.sequence.nextTokenIndex;
        const delta = prompt.slice(reused);
        // Evaluate long deltas in slices so that an abort lands between them; what was evaluated
        // stays in the KV cache for the next request.
        const slice = options.promptSlice ?? PROMPT_SLICE;
        let sliceStart = 0;
        while (delta.length - sliceStart > slice) {
            if (options.signal.aborted) return { ...empty(true, reused), evaluatedTokens: sliceStart };
            await this.sequence.evaluateWithoutGeneratingNewTokens(delta.slice(sliceStart, sliceStart + slice));
            sliceStart += slice;
        }
        if (options.signal.aborted) return { ...empty(true, reused), evaluatedTokens: sliceStart };
        if (options.maxTokens === 0) {
            // Prefill only (the cursor rests somewhere): the prompt goes into the KV cache, nothing is generated.
            await this.sequence.evaluateWithoutGeneratingNewTokens(delta.slice(sliceStart));
            return { ...empty(false, reused), evaluatedTokens: delta.length, promptMs: performance.now() - started };
        }

        const generated: Token[] = [];
        const confidences: number[] = [];
        let text = "";
        let firstTokenAt: number | undefined;
        let firstLineAt: number | undefined;
        let aborted = false;
        const iterator = this.sequence.evaluateWithMetadata(delta.slice(sliceStart), { confidence: true }, {
            temperature: options.temperature,
            seed: options.seed,
            topK: options.temperature > 0 ? 40 : undefined
        });
        try {
            for await (const { token, confidence } of iterator) {
                firstTokenAt ??= performance.now();
                if (options.signal.aborted) { aborted = true; break; }
                if (options.stopTokens.has(token) || this.model.isEogToken(token)) break;
                generated.push(token);
                confidences.push(confidence);
                text = this.model.detokenize(generated, false);
                if (firstLineAt === undefined && /\S[^\n]*\n/.test(text)) firstLineAt = performance.now();
                if (options.shouldStop(text) || generated.length >= options.maxTokens) break;
                if (firstLineAt !== undefined && performance.now() - firstLineAt > options.timeAfterFirstLineMs) break;
            }
        } finally {
            await iterator.return();
        }
        const ended = performance.now();
        firstTokenAt ??= ended;
        return {
            text,
            confidences,
            promptTokens: prompt.length,
            evaluatedTokens: delta.length,
            reusedTokens: reused,
            generatedTokens: generated.length,
            promptMs: firstTokenAt - started,
            generateMs: ended - firstTokenAt,
            aborted
        };
    }
}
