/**
 * Runs FIM generations on the model host's long-lived completion sequence, reusing its KV cache:
 * only the prompt tokens after the first one that differs from what the sequence already holds
 * are evaluated. One generation at a time (the sequence's scheduler, owned by the model host); a new
 * one waits for the previous to stop, a waiting one that is aborted leaves at once, and an abort
 * stops generation at the next token.
 */
import type { LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import type { SchedulerCounters, SequenceScheduler } from "../modelHost/sequenceScheduler";
import { Drafter } from "./drafter";
import { generateTokens } from "./draftVerify";
import { canShiftPositions, planShiftedReuse } from "./shiftedReuse";
import { afterHealed, vocabularyIndex } from "./tokenHealing";

/** Prompt tokens evaluated between two abort checks. */
const PROMPT_SLICE = 96;
/** Logit added to the tokens allowed while healing: more than any logit gap, so greedy picks among them. */
const HEAL_LOGIT = 1000;

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
    /** Token healing: text backed off the prompt that generation must start with (not part of the result). */
    heal?: string;
    /** Draft-and-verify when the temperature is 0 (default true). */
    drafts?: boolean;
    /**
     * Keep each token's probability (default true). It costs node-llama-cpp a sort of the whole
     * vocabulary per token, so ask for it only when a confidence filter will read it.
     */
    confidence?: boolean;
}

export interface Generation {
    text: string;
    /** The generated tokens (without the one that stopped generation). */
    tokens: Token[];
    /** Probabilities of the generated tokens, healing left out (none without `confidence`). */
    confidences: number[];
    promptTokens: number;
    evaluatedTokens: number;
    reusedTokens: number;
    generatedTokens: number;
    /** Draft tokens proposed for verification, and of those the ones greedy generation confirmed. */
    draftedTokens: number;
    acceptedDraftTokens: number;
    promptMs: number;
    generateMs: number;
    aborted: boolean;
}

function emptyGeneration(prompt: Token[], aborted: boolean, reused = 0): Generation {
    return {
        text: "",
        tokens: [],
        confidences: [],
        promptTokens: prompt.length,
        evaluatedTokens: 0,
        reusedTokens: reused,
        generatedTokens: 0,
        draftedTokens: 0,
        acceptedDraftTokens: 0,
        promptMs: 0,
        generateMs: 0,
        aborted
    };
}

export class CompletionSession {
    private readonly canShift: boolean;

    /** `drafter`: the drafts of draft-and-verify generation (greedy only). */
    constructor(
        private readonly sequence: LlamaContextSequence,
        private readonly scheduler: SequenceScheduler,
        private readonly model: LlamaModel,
        readonly drafter = new Drafter()
    ) {
        this.canShift = canShiftPositions(model.fileInfo.metadata?.general?.architecture);
    }

    /** How many generations ever ran or waited at once (for stats and the typing-storm test). */
    get peaks(): SchedulerCounters {
        return this.scheduler.peaks;
    }

    /** Generates after `prompt`; one at a time on this session. */
    generate(prompt: Token[], options: GenerateOptions): Promise<Generation> {
        return this.scheduler.run(
            () => this.run(prompt, options),
            options.signal,
            () => emptyGeneration(prompt, true)
        );
    }

    private async run(prompt: Token[], options: GenerateOptions): Promise<Generation> {
        const empty = (aborted: boolean, reused = 0): Generation =>
            emptyGeneration(prompt, aborted, reused);
        if (options.signal.aborted || this.sequence.disposed) return empty(true);
        const started = performance.now();
        // Keep the common prefix of the KV cache, erase the rest (including the last suggestion).
        let { firstDifferentIndex } = this.sequence.compareContextTokens(prompt);
        if (
            this.canShift &&
            firstDifferentIndex < prompt.length - 1 &&
            firstDifferentIndex < this.sequence.nextTokenIndex
        ) {
            // The head was cut (the cursor moved down): move what follows into place instead of evaluating it again.
            const plan = planShiftedReuse(this.sequence.contextTokens, prompt, firstDifferentIndex);
            if (plan.erase.length > 0) {
                await this.sequence.eraseContextTokenRanges(plan.erase);
                firstDifferentIndex =
                    this.sequence.compareContextTokens(prompt).firstDifferentIndex;
            }
        }
        // At least one token must be evaluated to get the next token's probabilities.
        const keep = Math.min(firstDifferentIndex, prompt.length - 1);
        if (keep < this.sequence.nextTokenIndex) {
            await this.sequence.eraseContextTokenRanges([
                { start: keep, end: this.sequence.nextTokenIndex }
            ]);
        }
        const reused = this.sequence.nextTokenIndex;
        const delta = prompt.slice(reused);
        // Evaluate long deltas in slices so that an abort lands between them; what was evaluated
        // stays in the KV cache for the next request.
        const slice = options.promptSlice ?? PROMPT_SLICE;
        let sliceStart = 0;
        while (delta.length - sliceStart > slice) {
            if (options.signal.aborted)
                return { ...empty(true, reused), evaluatedTokens: sliceStart };
            await this.sequence.evaluateWithoutGeneratingNewTokens(
                delta.slice(sliceStart, sliceStart + slice)
            );
            sliceStart += slice;
        }
        if (options.signal.aborted) return { ...empty(true, reused), evaluatedTokens: sliceStart };
        if (options.maxTokens === 0) {
            // Prefill only (the cursor rests somewhere): the prompt goes into the KV cache, nothing is generated.
            await this.sequence.evaluateWithoutGeneratingNewTokens(delta.slice(sliceStart));
            return {
                ...empty(false, reused),
                evaluatedTokens: delta.length,
                promptMs: performance.now() - started
            };
        }

        const generated: Token[] = [];
        const confidences: number[] = [];
        let text = "";
        let raw = "";
        const heal = options.heal ?? "";
        // Token healing: until the healed text is generated, only tokens that agree with its rest may come.
        const index = heal !== "" ? await vocabularyIndex(this.model) : undefined;
        // Imported here: node-llama-cpp is ESM-only, and this file is also loaded from CommonJS (tests).
        const TokenBias = index ? (await import("node-llama-cpp")).TokenBias : undefined;
        const tokenBias =
            index && TokenBias
                ? () => {
                      const bias = new TokenBias(this.model.tokenizer);
                      if (raw.length < heal.length)
                          bias.set(index.compatible(heal.slice(raw.length)), { logit: HEAL_LOGIT });
                      return bias;
                  }
                : undefined;
        let firstTokenAt: number | undefined;
        let firstLineAt: number | undefined;
        let aborted = false;
        const isStop = (token: Token) =>
            options.stopTokens.has(token) || this.model.isEogToken(token);
        const take = (token: Token, confidence: number | undefined): boolean => {
            firstTokenAt ??= performance.now();
            if (options.signal.aborted) {
                aborted = true;
                return false;
            }
            if (isStop(token)) return false;
            generated.push(token);
            raw = this.model.detokenize(generated, false);
            // A token that only retypes the healed text says nothing of the suggestion's confidence.
            if (raw.length > heal.length && confidence !== undefined) confidences.push(confidence);
            const shown = afterHealed(raw, heal);
            // Left the healed text (nothing to show), or still catching up.
            if (shown === undefined)
                return raw.length < heal.length && generated.length < options.maxTokens;
            text = shown;
            if (firstLineAt === undefined && /\S[^\n]*\n/.test(text))
                firstLineAt = performance.now();
            if (options.shouldStop(text) || generated.length >= options.maxTokens) return false;
            return (
                firstLineAt === undefined ||
                performance.now() - firstLineAt <= options.timeAfterFirstLineMs
            );
        };
        const useDrafts = options.temperature === 0 && options.drafts !== false;
        let counts: { drafted: number; accepted: number };
        try {
            counts = await generateTokens(
                this.sequence,
                delta.slice(sliceStart),
                {
                    temperature: options.temperature,
                    seed: options.seed,
                    topK: options.temperature > 0 ? 40 : undefined,
                    tokenBias
                },
                take,
                useDrafts
                    ? {
                          drafter: this.drafter,
                          history: prompt.slice(),
                          isStop,
                          // Not while healing: the drafts would be verified without the healing bias.
                          ready: () => raw.length >= heal.length
                      }
                    : undefined,
                options.confidence !== false
            );
        } finally {
            if (useDrafts) this.drafter.remember(generated);
        }
        const ended = performance.now();
        firstTokenAt ??= ended;
        return {
            text,
            tokens: generated,
            confidences,
            promptTokens: prompt.length,
            evaluatedTokens: delta.length,
            reusedTokens: reused,
            generatedTokens: generated.length,
            draftedTokens: counts.drafted,
            acceptedDraftTokens: counts.accepted,
            promptMs: firstTokenAt - started,
            generateMs: ended - firstTokenAt,
            aborted
        };
    }
}
