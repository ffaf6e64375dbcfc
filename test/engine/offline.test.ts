/**
 * The offline promise: in normal work the engine opens no network connection at all. The engine
 * runs with a preload that records and refuses every non-loopback connection and DNS lookup.
 * A download the user asks for is the one exception, and the guard is shown to catch it.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { ResponseError } from "vscode-languageserver-protocol";
import { ChatSendRequest } from "../../src/shared/chatProtocol";
import {
    ModelsDownloadRequest,
    ModelsListRequest,
    ModelsRecommendRequest
} from "../../src/shared/modelsProtocol";
import { CompletionClient, endOf } from "../support/completionClient";
import { EngineProcess } from "../support/engineProcess";
import { REPO_ROOT, requireModel } from "../support/models";

const MODEL = requireModel("tiny-fim-random.gguf");
const GUARD = path.join(REPO_ROOT, "out", "test", "support", "noNetwork.js");

describe("offline: the engine makes no network connection in normal work", () => {
    let engine: EngineProcess;
    let dir: string;
    let netLog: string;
    const attempts = () =>
        existsSync(netLog)
            ? readFileSync(netLog, "utf8")
                  .trim()
                  .split("\n")
                  .filter(Boolean)
                  .map((l) => JSON.parse(l) as { kind: string; target: string })
            : [];

    before(async () => {
        assert.ok(existsSync(GUARD), `the network guard is built: ${GUARD}`);
        dir = mkdtempSync(path.join(os.tmpdir(), "apprentice-offline-"));
        netLog = path.join(dir, "net.log");
        writeFileSync(netLog, "");
        engine = EngineProcess.spawn({
            NODE_OPTIONS: `--require ${GUARD}`,
            APPRENTICE_NET_LOG: netLog
        });
        await engine.initialize({
            modelPath: MODEL,
            threads: 1,
            gpu: "off",
            modelsFolder: path.join(dir, "models")
        });
    });
    after(async () => {
        await engine.shutdown();
        rmSync(dir, { recursive: true, force: true });
    });

    it("loads a model, completes code, chats, reloads and lists models without a single connection", async () => {
        const ready = await engine.waitForSettled(60_000, 0);
        assert.equal(ready.state, "ready", JSON.stringify(ready));
        await engine.connection.sendRequest("apprentice/status/get");
        // A real inline completion turn (FIM through the model), after an edit.
        const client = new CompletionClient(engine);
        const uri = "file:///tmp/offline-example.ts";
        const prefix = "function add(a: number, b: number) {\n    ";
        await client.open(uri, "function add(a: number, b: number) {\n");
        await client.change(uri, `${prefix}\n}\n`);
        const completion = await client.complete(uri, endOf(prefix), {
            minConfidence: 0,
            maxTokens: 16
        });
        assert.ok(
            completion.apprentice?.timings?.source === "model" &&
                completion.apprentice.timings.generatedTokens > 0,
            JSON.stringify(completion.apprentice)
        );
        // A real chat turn about the code, streamed by the model.
        const chat = await engine.connection.sendRequest(ChatSendRequest.type, {
            turnId: "offline-1",
            maxTokens: 8,
            messages: [
                {
                    role: "user",
                    text: "What does this do?",
                    attachments: [
                        {
                            name: "offline-example.ts",
                            languageId: "typescript",
                            startLine: 1,
                            endLine: 2,
                            text: prefix
                        }
                    ]
                }
            ]
        });
        assert.ok(chat.timings.generatedTokens > 0, JSON.stringify(chat));
        const list = await engine.connection.sendRequest(ModelsListRequest.type);
        assert.ok(list.catalog.length > 0);
        await engine.connection.sendRequest(ModelsRecommendRequest.type);
        // Reload with another context size: a second full load.
        const since = engine.statuses.length;
        await engine.changeSettings({ contextSize: 1024 });
        assert.equal((await engine.waitForSettled(60_000, since)).state, "ready");
        assert.deepEqual(attempts(), [], "no connection or DNS lookup was attempted");
    });

    it("the guard does catch the engine's only network code: a download the user asks for", async () => {
        // Reserved names and addresses (RFC 2606 .invalid, RFC 5737 TEST-NET-1): nothing real is contacted.
        for (const mirror of ["https://models.invalid", "https://192.0.2.1"]) {
            await engine.changeSettings({ modelMirror: mirror });
            try {
                await engine.connection.sendRequest(ModelsDownloadRequest.type, {
                    id: "qwen2.5-coder-0.5b-instruct-q8_0"
                });
                assert.fail("the download should have been refused");
            } catch (error) {
                assert.ok(error instanceof ResponseError, String(error));
                assert.equal((error.data as { code: string }).code, "offline", error.message);
            }
        }
        const seen = attempts();
        assert.ok(
            seen.some((a) => a.target.includes("models.invalid")),
            JSON.stringify(seen)
        );
        assert.ok(
            seen.some((a) => a.kind === "connect" && a.target.startsWith("192.0.2.1")),
            JSON.stringify(seen)
        );
    });
});
