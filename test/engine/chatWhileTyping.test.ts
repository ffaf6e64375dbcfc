/**
 * A long chat answer while the user types: completions keep arriving from the model during the
 * stream (chat and completion have their own sequences on one context), and the chat answer loses
 * nothing — what streamed adds up to what the turn returns.
 */
import { strict as assert } from "node:assert";
import { after, before, describe, it } from "node:test";
import {
    ChatProgressNotification,
    ChatSendRequest,
    ChatStopRequest,
    type ChatProgressParams
} from "../../src/shared/chatProtocol";
import { CompletionClient, endOf } from "../support/completionClient";
import { EngineProcess } from "../support/engineProcess";
import { requireModel } from "../support/models";

const TINY = requireModel("tiny-fim-random.gguf");
const URI = "file:///typing/while-chat.ts";
const KEYSTROKES = 8;

describe("a long chat while typing", () => {
    let engine: EngineProcess;
    let client: CompletionClient;
    const progress: ChatProgressParams[] = [];

    before(async () => {
        engine = EngineProcess.spawn();
        engine.connection.onNotification(ChatProgressNotification.type, (p) => {
            progress.push(p);
        });
        await engine.initialize({ modelPath: TINY, contextSize: 4096, threads: 1, gpu: "off" });
        assert.equal((await engine.waitForSettled(60_000, 0)).state, "ready");
        client = new CompletionClient(engine);
        await client.open(
            URI,
            "export function total(items: number[]): number {\n    let sum = 0;\n    "
        );
    });
    after(async () => {
        await engine.shutdown();
    });

    it(`${KEYSTROKES} keystrokes get model completions while one chat answer streams`, async () => {
        const turnId = "long";
        const turn = engine.connection.sendRequest(ChatSendRequest.type, {
            turnId,
            messages: [{ role: "user", text: "Explain, at length, how to sum an array." }],
            maxTokens: 1024
        });
        let settled = false;
        void turn.finally(() => {
            settled = true;
        });
        const streamed = () => progress.filter((p) => p.turnId === turnId).length;
        while (streamed() < 2 && !settled) await new Promise((r) => setTimeout(r, 5));
        const answeredDuringChat: {
            model: boolean;
            evaluated: number;
            chunksBefore: number;
            chunksAfter: number;
        }[] = [];
        let text = client.text(URI);
        for (const char of "for (con".slice(0, KEYSTROKES)) {
            text += char;
            await client.change(URI, text);
            const chunksBefore = streamed();
            const list = await client.complete(URI, endOf(text));
            assert.notEqual(
                list.apprentice?.state,
                "cancelled",
                "a keystroke is not dropped because of the chat"
            );
            // A keystroke that types along the last suggestion is answered from the cache (token healing
            // makes suggestions start with the typed word, so this happens); the others reach the model.
            const source = list.apprentice?.timings?.source;
            assert.ok(
                source === "model" || source === "typingAlong",
                JSON.stringify(list.apprentice)
            );
            if (!settled)
                answeredDuringChat.push({
                    model: source === "model",
                    evaluated: list.apprentice!.timings!.evaluatedTokens,
                    chunksBefore,
                    chunksAfter: streamed()
                });
        }
        const chunksAtStop = streamed();
        await engine.connection.sendRequest(ChatStopRequest.type, { turnId });
        const answer = await turn;
        const parts = progress.filter((p) => p.turnId === turnId);
        console.log(
            `chat while typing: ${answeredDuringChat.length} of ${KEYSTROKES} keystrokes answered during the stream ` +
                `(prompt tokens evaluated ${answeredDuringChat
                    .filter((a) => a.model)
                    .map((a) => a.evaluated)
                    .join(" ")}); chat streamed ${parts.length} chunks, ` +
                `${answer.timings.generatedTokens} tokens, stop reason ${answer.stopReason}`
        );
        assert.ok(
            answeredDuringChat.length >= KEYSTROKES / 2,
            `completions arrived while the chat streamed (${answeredDuringChat.length})`
        );
        assert.ok(
            answeredDuringChat.some((a) => a.model),
            "the model answered keystrokes while the chat streamed"
        );
        assert.ok(
            chunksAtStop > answeredDuringChat[0].chunksBefore,
            "the chat kept streaming between the completions"
        );
        assert.equal(
            parts.map((p) => p.text).join(""),
            answer.text + answer.thinking,
            "the streamed chunks add up to the answer"
        );
        assert.ok(["stopped", "maxTokens", "end"].includes(answer.stopReason));
    });
});
