import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { TextDocument } from "vscode-languageserver-textdocument";
import {
    answerStep,
    failureStep,
    postProcessStep,
    windowStep
} from "../../src/engine/completion/steps";
import { CompletionPipeline } from "../../src/engine/completion/completionPipeline";
import type { CompletionRequest } from "../../src/engine/completion/completionRequest";
import { BackendError } from "../../src/engine/inference/errors";
import type {
    CompletionJob,
    CompletionProduct,
    Inference
} from "../../src/engine/inference/inference";
import { COMPLETION_DEFAULTS, type CompletionOptions } from "../../src/shared/completionProtocol";

const URI = "file:///w/a.ts";
const TEXT = "function add(a: number, b: number) {\n    return \n}\n";
const AT = { line: 1, character: 11 };
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const options = (o: Partial<CompletionOptions> = {}): CompletionOptions => ({
    ...COMPLETION_DEFAULTS,
    minConfidence: 0.2,
    ...o
});
const timings = {
    source: "model" as const,
    promptTokens: 10,
    evaluatedTokens: 10,
    reusedTokens: 0,
    generatedTokens: 3,
    buildMs: 1,
    promptMs: 1,
    generateMs: 1
};

/** An Inference that answers from a script, recording the jobs it got. */
class ScriptedInference implements Inference {
    readonly host = undefined;
    worksAhead = false;
    readonly jobs: CompletionJob[] = [];
    constructor(private readonly answer: (job: CompletionJob) => Promise<CompletionProduct>) {}
    complete(job: CompletionJob): Promise<CompletionProduct> {
        this.jobs.push(job);
        return this.answer(job);
    }
    chat(): never {
        throw new Error("not used");
    }
    prepareChat(): void {
        /* not used */
    }
}

function pipelineWith(inference: Inference, skip: string | undefined = undefined) {
    const documents = new Map([[URI, TextDocument.create(URI, "typescript", 1, TEXT)]]);
    return new CompletionPipeline({
        documents,
        health: { skipReason: () => skip as never, usable: () => true },
        inference: () => inference,
        local: () => ({ fimSupported: true, peaks: undefined }),
        log: silent
    });
}

function request(
    o: Partial<CompletionOptions> = {},
    automatic = true
): [CompletionRequest, AbortController, () => boolean] {
    const abort = new AbortController();
    return [
        {
            uri: URI,
            position: AT,
            automatic,
            options: options(o),
            started: performance.now(),
            signal: abort.signal
        },
        abort,
        () => false
    ];
}

describe("completion steps (no connection, no model)", () => {
    it("window: refuses secret and out-of-sync files with a reason, reads the text around the cursor", () => {
        const documents = new Map([[URI, TextDocument.create(URI, "typescript", 1, TEXT)]]);
        assert.match(
            (
                windowStep(documents, { skipReason: () => "secret" }, URI, AT, true) as {
                    reason: string;
                }
            ).reason,
            /secrets/
        );
        assert.match(
            (
                windowStep(documents, { skipReason: () => "outOfSync" }, URI, AT, true) as {
                    reason: string;
                }
            ).reason,
            /out of date/
        );
        assert.match(
            (
                windowStep(
                    documents,
                    { skipReason: () => undefined },
                    "file:///w/none.ts",
                    AT,
                    true
                ) as { reason: string }
            ).reason,
            /not open/
        );
        const read = windowStep(documents, { skipReason: () => undefined }, URI, AT, true);
        assert.ok(read.ok);
        assert.equal(read.window.linePrefix, "    return ");
    });

    it("post-process: cleans each suggestion, drops empty ones and duplicates, keeps each one's confidence", () => {
        const documents = new Map([[URI, TextDocument.create(URI, "typescript", 1, TEXT)]]);
        const read = windowStep(documents, { skipReason: () => undefined }, URI, AT, true);
        assert.ok(read.ok);
        const result = postProcessStep(
            [
                { text: "a + b;  \nmore", confidence: 0.9 },
                { text: "a + b;", confidence: 0.5 },
                { text: "   ", confidence: 1 },
                { text: "a - b;", confidence: 0.4 }
            ],
            read.window,
            8
        );
        assert.deepEqual(result, { texts: ["a + b;", "a - b;"], confidences: [0.9, 0.4] });
    });

    it("answer: hides what is below the confidence threshold, shows one item while typing and all on request", () => {
        const result = { texts: ["a + b;", "a - b;", "0;"], confidences: [0.9, 0.4, 0.1] };
        const full = { ...timings, totalMs: 3 };
        const typing = answerStep(
            result,
            { position: AT, options: options(), automatic: true },
            full
        );
        assert.deepEqual(
            typing.list.items.map((i) => i.insertText),
            ["a + b;"]
        );
        const asked = answerStep(
            result,
            { position: AT, options: options(), automatic: false },
            full
        );
        assert.deepEqual(
            asked.list.items.map((i) => i.insertText),
            ["a + b;", "a - b;"]
        );
        const unsure = answerStep(
            result,
            { position: AT, options: options({ minConfidence: 0.95 }), automatic: true },
            full
        );
        assert.equal(unsure.list.apprentice?.state, "lowConfidence");
        assert.equal(unsure.lowConfidence, true);
    });

    it("failure: a server's error says what to do; an abort is a cancellation", () => {
        const error = new BackendError(
            "unreachable",
            "Cannot reach gpu:8080.",
            "Check apprentice.backend.url."
        );
        assert.deepEqual(failureStep(error, new AbortController().signal).meta, {
            state: "empty",
            message: "Cannot reach gpu:8080. Check apprentice.backend.url."
        });
        const aborted = new AbortController();
        aborted.abort();
        assert.deepEqual(failureStep(error, aborted.signal).meta, { state: "cancelled" });
    });
});

describe("completion pipeline over a scripted inference", () => {
    it("generates, post-processes and answers; the same place again comes from the cache", async () => {
        const inference = new ScriptedInference(async () => ({
            kind: "generated",
            suggestions: [{ text: "a + b;", confidence: 0.8 }],
            timings: { ...timings, fallbackFrom: "gpu:8080" }
        }));
        const pipeline = pipelineWith(inference);
        const first = await pipeline.provide(...request());
        assert.equal(first.items[0]?.insertText, "a + b;");
        assert.equal(first.apprentice?.timings?.source, "model");
        assert.equal(
            first.apprentice?.timings?.fallbackFrom,
            "gpu:8080",
            "where the answer came from is passed on"
        );
        assert.equal(inference.jobs[0].alternatives, 1);
        assert.equal(inference.jobs[0].window.linePrefix, "    return ");
        const again = await pipeline.provide(...request());
        assert.equal(again.apprentice?.timings?.source, "cache");
        assert.equal(inference.jobs.length, 1, "no second generation");
        assert.equal(pipeline.statsSnapshot().cacheHits, 1);
    });

    it("a refusal (no model, no FIM tokens) is the answer's state; a server error is an empty answer with its message", async () => {
        const refused = pipelineWith(
            new ScriptedInference(async () => ({
                kind: "refused",
                meta: { state: "unsupported", message: "no FIM" }
            }))
        );
        assert.deepEqual((await refused.provide(...request())).apprentice, {
            state: "unsupported",
            message: "no FIM"
        });
        const failing = pipelineWith(
            new ScriptedInference(async () => {
                throw new BackendError(
                    "unauthorized",
                    "gpu:8080 refused the request.",
                    "Set the key."
                );
            })
        );
        const answer = await failing.provide(...request());
        assert.equal(answer.apprentice?.state, "empty");
        assert.equal(answer.apprentice?.message, "gpu:8080 refused the request. Set the key.");
    });

    it("a secret file never reaches the inference", async () => {
        const inference = new ScriptedInference(async () => assert.fail("asked"));
        const answer = await pipelineWith(inference, "secret").provide(...request());
        assert.equal(answer.apprentice?.state, "skipped");
        assert.equal(inference.jobs.length, 0);
    });

    it("a newer request aborts the one in flight", async () => {
        let release!: () => void;
        const inference = new ScriptedInference(
            (job) =>
                new Promise((resolve) => {
                    release = () =>
                        resolve(
                            job.signal.aborted
                                ? { kind: "cancelled" }
                                : {
                                      kind: "generated",
                                      suggestions: [{ text: "x;", confidence: 1 }],
                                      timings
                                  }
                        );
                })
        );
        const pipeline = pipelineWith(inference);
        const older = pipeline.provide(...request({ maxTokens: 5 }));
        await new Promise((r) => setImmediate(r));
        const olderRelease = release;
        const newer = pipeline.provide(...request({ maxTokens: 6 }, false));
        await new Promise((r) => setImmediate(r));
        assert.equal(inference.jobs[0].signal.aborted, true, "the older job's signal is aborted");
        olderRelease();
        release();
        assert.equal((await older).apprentice?.state, "cancelled");
        assert.equal((await newer).items[0]?.insertText, "x;");
    });
});
