/**
 * Draft-and-verify generation gives exactly what plain greedy generation gives, token for token, on
 * the real code model (coder-48m): two completion sessions on two sequences of one context, one
 * generating plainly, one verifying every draft its drafter finds (the engine's policy verifies
 * only those that pay, so fewer), the same FIM prompts from a real source file, typing along at
 * each position.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Llama, LlamaContext, LlamaModel, Token } from "node-llama-cpp";
import { Drafter } from "../../src/engine/completion/drafter";
import { readFimFormat, type FimFormat } from "../../src/engine/fim/fimTokens";
import { buildPrompt } from "../../src/engine/completion/promptBuilder";
import { CompletionSession, type Generation } from "../../src/engine/completion/session";
import { SequenceScheduler } from "../../src/engine/modelHost/sequenceScheduler";
import { REPO_ROOT, requireModel } from "../support/models";

const CODER = requireModel("coder-48m-fim-q8_0.gguf");
/** A real source file pinned by package-lock.json. */
const SOURCE = readFileSync(
    path.join(
        REPO_ROOT,
        "node_modules",
        "vscode-languageserver-textdocument",
        "lib",
        "umd",
        "main.js"
    ),
    "utf8"
);
const POSITIONS = 5;
const TYPED = 2;

describe("draft-and-verify generation (coder-48m)", () => {
    let llama: Llama;
    let model: LlamaModel;
    let context: LlamaContext;
    let format: FimFormat;
    let plain: CompletionSession;
    let drafted: CompletionSession;
    const drafter = new Drafter(undefined, {
        choose: (available) => available,
        observePlain: () => undefined,
        observeDraft: () => undefined,
        figures: { plainMs: undefined, acceptance: 0, drafts: 0, declined: 0 }
    });

    before(async () => {
        const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
        llama = await getLlama({
            gpu: false,
            build: "never",
            skipDownload: true,
            progressLogs: false,
            logLevel: LlamaLogLevel.error
        });
        model = await llama.loadModel({ modelPath: CODER, gpuLayers: 0 });
        context = await model.createContext({ contextSize: 2048, sequences: 2, threads: 1 });
        format = readFimFormat(model)!;
        plain = new CompletionSession(context.getSequence(), new SequenceScheduler(), model);
        drafted = new CompletionSession(
            context.getSequence(),
            new SequenceScheduler(),
            model,
            drafter
        );
    });
    after(async () => {
        await context?.dispose();
        await model?.dispose();
        await llama?.dispose();
    });

    function generate(
        session: CompletionSession,
        prefix: string,
        suffix: string,
        drafts: boolean,
        confidence = true
    ): Promise<Generation> {
        const prompt = buildPrompt(model, format, {
            prefix,
            suffix,
            path: "main.js",
            chunks: [],
            budget: 512
        });
        return session.generate(prompt.tokens, {
            maxTokens: 40,
            shouldStop: () => false,
            stopTokens: format.stopTokens,
            temperature: 0,
            signal: new AbortController().signal,
            timeAfterFirstLineMs: Number.POSITIVE_INFINITY,
            drafts,
            confidence
        });
    }

    it("generates the same tokens as plain greedy generation, with drafts accepted", async (t) => {
        const lines = SOURCE.split("\n");
        let draftedTokens = 0;
        let acceptedTokens = 0;
        let compared = 0;
        for (let p = 0; p < POSITIONS; p++) {
            // Positions spread over the file, at the first non-blank character of a line, then typing its next characters.
            const line = Math.floor(((lines.length - 10) * (p + 0.5)) / POSITIONS) + 5;
            const indent = lines[line]!.length - lines[line]!.trimStart().length;
            const lineStart = lines.slice(0, line).join("\n").length + 1;
            for (let typed = 0; typed <= TYPED; typed++) {
                const cursor = lineStart + indent + typed;
                const prefix = SOURCE.slice(0, cursor);
                const suffix = SOURCE.slice(cursor);
                const a = await generate(plain, prefix, suffix, false);
                const b = await generate(drafted, prefix, suffix, true);
                assert.deepEqual(
                    b.tokens,
                    a.tokens,
                    `line ${line + 1}, ${typed} typed: ${JSON.stringify(a.text)} vs ${JSON.stringify(b.text)}`
                );
                assert.equal(b.text, a.text);
                assert.equal(a.draftedTokens, 0, "drafts: false generates plainly");
                assert.deepEqual(
                    b.confidences.map((c) => c.toFixed(3)),
                    a.confidences.map((c) => c.toFixed(3)),
                    "the same probabilities"
                );
                draftedTokens += b.draftedTokens;
                acceptedTokens += b.acceptedDraftTokens;
                compared += a.tokens.length;
            }
        }
        t.diagnostic(
            `${compared} tokens compared; drafts: ${acceptedTokens} of ${draftedTokens} tokens accepted`
        );
        assert.ok(compared > POSITIONS * 20, `compared ${compared} tokens`);
        assert.ok(
            acceptedTokens > 0 && acceptedTokens <= draftedTokens,
            `drafts accepted: ${acceptedTokens} of ${draftedTokens}`
        );
    });

    it("without probabilities (confidence filter off): the same tokens, plain and drafted, none kept", async () => {
        const lines = SOURCE.split("\n");
        let compared = 0;
        let draftedTokens = 0;
        for (let p = 0; p < 3; p++) {
            const line = Math.floor(((lines.length - 10) * (p + 0.3)) / 3) + 5;
            const indent = lines[line]!.length - lines[line]!.trimStart().length;
            const cursor = lines.slice(0, line).join("\n").length + 1 + indent;
            const prefix = SOURCE.slice(0, cursor);
            const suffix = SOURCE.slice(cursor);
            const withProbabilities = await generate(plain, prefix, suffix, false);
            const without = await generate(plain, prefix, suffix, false, false);
            const draftedWithout = await generate(drafted, prefix, suffix, true, false);
            assert.ok(withProbabilities.confidences.length > 0, "probabilities when asked for");
            for (const g of [without, draftedWithout]) {
                assert.deepEqual(g.tokens, withProbabilities.tokens, `line ${line + 1}`);
                assert.equal(g.text, withProbabilities.text);
                assert.deepEqual(g.confidences, [], "no probabilities asked for, none kept");
            }
            compared += withProbabilities.tokens.length;
            draftedTokens += draftedWithout.draftedTokens;
        }
        assert.ok(compared > 40, `compared ${compared} tokens`);
        assert.ok(draftedTokens > 0, "drafts verified without probabilities");
    });

    it("drafts nothing for sampled alternatives (temperature > 0)", async () => {
        const prompt = buildPrompt(model, format, {
            prefix: SOURCE.slice(0, 4000),
            suffix: SOURCE.slice(4000),
            path: "main.js",
            chunks: [],
            budget: 512
        });
        const g = await drafted.generate(prompt.tokens as Token[], {
            maxTokens: 24,
            shouldStop: () => false,
            stopTokens: format.stopTokens,
            temperature: 0.8,
            seed: 1,
            signal: new AbortController().signal,
            timeAfterFirstLineMs: Number.POSITIVE_INFINITY
        });
        assert.equal(g.draftedTokens, 0);
    });
});
