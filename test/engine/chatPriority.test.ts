/**
 * Completion goes before chat at token granularity: with the sequences the model host makes
 * (createSequences), a chat answer that is streaming pauses between two tokens while a completion
 * job runs, and resumes where it was: its text is the same as without the interruption.
 * Behaviour, not timings: the order of tokens is recorded.
 */
import { strict as assert } from "node:assert";
import { after, before, describe, it } from "node:test";
import type { ChatHistoryItem, Llama, LlamaContext, LlamaModel } from "node-llama-cpp";
import { createSequences } from "../../src/engine/modelHost/sequences";
import { requireModel } from "../support/models";

const STORIES = requireModel("stories260K.gguf");
const HISTORY: ChatHistoryItem[] = [
    { type: "user", text: "Tell me a story about a cat." },
    { type: "model", response: [] }
];

describe("completion before chat (token granularity)", () => {
    let llama: Llama;
    let model: LlamaModel;
    let context: LlamaContext;

    before(async () => {
        const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
        llama = await getLlama({
            gpu: false,
            build: "never",
            skipDownload: true,
            progressLogs: false,
            logLevel: LlamaLogLevel.error
        });
        model = await llama.loadModel({ modelPath: STORIES, gpuLayers: 0 });
        context = await model.createContext({ contextSize: 1024, sequences: 2, threads: 1 });
    });
    after(async () => {
        await context?.dispose();
        await model?.dispose();
        await llama?.dispose();
    });

    it("pauses a streaming chat answer while a completion runs, then resumes it where it was", async () => {
        const { LlamaChat, ChatMLChatWrapper } = await import("node-llama-cpp");
        const sequences = createSequences(context);
        const answer = async (onToken?: () => void) => {
            await sequences.chatSequence.clearHistory();
            const chat = new LlamaChat({
                contextSequence: sequences.chatSequence,
                chatWrapper: new ChatMLChatWrapper(),
                autoDisposeSequence: false
            });
            try {
                const result = await chat.generateResponse(HISTORY, {
                    maxTokens: 60,
                    temperature: 0,
                    onToken: () => onToken?.()
                });
                return result.response;
            } finally {
                chat.dispose({ disposeSequence: false });
            }
        };
        const alone = await answer();

        const events: string[] = [];
        let completionRunning = false;
        let completion: Promise<void> | undefined;
        let chatTokens = 0;
        const streamed = await answer(() => {
            chatTokens++;
            events.push(completionRunning ? "chat during completion" : "chat");
            // A keystroke arrives while the answer streams.
            if (chatTokens === 5) {
                completion = sequences.completionScheduler.run(async () => {
                    completionRunning = true;
                    let generated = 0;
                    for await (const _token of sequences.completionSequence.evaluate(
                        model.tokenize("Once upon a time"),
                        { temperature: 0 }
                    )) {
                        events.push("completion");
                        if (++generated >= 20) break;
                    }
                    completionRunning = false;
                });
            }
        });
        await completion;

        assert.equal(streamed, alone, "the answer resumed where it was");
        assert.equal(events.filter((e) => e === "completion").length, 20);
        // The chat token already being evaluated when the keystroke came may still arrive; no more.
        const during = events.filter((e) => e === "chat during completion").length;
        assert.ok(
            during <= 1,
            `chat tokens while the completion ran: ${during} (${events.join(", ")})`
        );
        const lastCompletion = events.lastIndexOf("completion");
        assert.ok(
            events.slice(lastCompletion).includes("chat"),
            "chat went on after the completion"
        );
        assert.ok(sequences.chatScheduler.pauses >= 1, "the chat paused");
    });
});
