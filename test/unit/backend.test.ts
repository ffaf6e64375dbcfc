import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { fimPrompt } from "../../src/engine/fim/textTemplates";
import { toInfillWire } from "../../src/engine/remote/llamaServerBackend";
import { SseParser } from "../../src/engine/remote/sse";
import { parseServeArgs } from "../../src/engine/serve/args";
import { QueueFullError, SlotScheduler } from "../../src/engine/serve/scheduler";
import { presentBackend } from "../../src/extension/backend/presentBackend";
import { isInsecureRemote, normalizeBackendSettings, remoteHost } from "../../src/shared/backend";

describe("backend settings", () => {
    it("default to local; a remote kind needs an http(s) URL", () => {
        assert.equal(normalizeBackendSettings(undefined).kind, "local");
        assert.equal(normalizeBackendSettings({ kind: "llamaServer", url: "" }).kind, "local");
        assert.equal(
            normalizeBackendSettings({ kind: "llamaServer", url: "file:///etc/passwd" }).kind,
            "local"
        );
        const s = normalizeBackendSettings({
            kind: "openAiCompatible",
            url: " https://gpu.lan:8000/ ",
            timeoutMs: 1,
            fimTemplate: "bogus"
        });
        assert.equal(s.kind, "openAiCompatible");
        assert.equal(s.url, "https://gpu.lan:8000");
        assert.equal(s.timeoutMs, 500);
        assert.equal(s.fimTemplate, "qwen");
        assert.equal(remoteHost(s), "gpu.lan:8000");
        assert.equal(remoteHost(normalizeBackendSettings({})), undefined);
    });

    it("plain http is insecure only to another machine", () => {
        assert.equal(isInsecureRemote("http://10.0.0.5:8080"), true);
        assert.equal(isInsecureRemote("http://gpu.lan:8080"), true);
        assert.equal(isInsecureRemote("https://gpu.lan:8080"), false);
        assert.equal(isInsecureRemote("http://127.0.0.1:8080"), false);
        assert.equal(isInsecureRemote("http://localhost:8080"), false);
        assert.equal(isInsecureRemote("http://[::1]:8080"), false);
    });
});

describe("request shapes", () => {
    it("/infill: the current line goes in prompt, the lines before in input_prefix", () => {
        const wire = toInfillWire({
            prefix: "a\nb\n  ret",
            suffix: "\n}",
            maxTokens: 16,
            extra: [{ filename: "x.ts", text: "x" }]
        });
        assert.equal(wire.input_prefix, "a\nb\n");
        assert.equal(wire.prompt, "  ret");
        assert.equal(wire.input_suffix, "\n}");
        assert.equal(wire.n_predict, 16);
        assert.equal(wire.cache_prompt, true);
        assert.deepEqual(wire.input_extra, [{ filename: "x.ts", text: "x" }]);
        assert.equal(
            toInfillWire({ prefix: "abc", suffix: "", maxTokens: 1 }).input_extra,
            undefined
        );
    });

    it("FIM templates put prefix, suffix and other files where each model family expects them", () => {
        assert.equal(
            fimPrompt("deepseek", "P", "S"),
            "<｜fim▁begin｜>P<｜fim▁hole｜>S<｜fim▁end｜>"
        );
        assert.equal(
            fimPrompt("qwen", "P", "S", [{ filename: "u.ts", text: "T" }]),
            "<|file_sep|>u.ts\nT\n<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>"
        );
        assert.equal(fimPrompt("codellama", "P", "S"), "<PRE> P <SUF>S <MID>");
        assert.equal(fimPrompt("starcoder", "P", "S"), "<fim_prefix>P<fim_suffix>S<fim_middle>");
    });
});

describe("SSE parser", () => {
    const stream = 'data: {"a":1}\n\ndata: {"a":2}\r\n\r\n: comment\nevent: x\ndata: [DONE]\n\n';
    it("finds the same events however the bytes are split", () => {
        for (let size = 1; size <= stream.length; size++) {
            const parser = new SseParser();
            const events: string[] = [];
            for (let at = 0; at < stream.length; at += size)
                events.push(...parser.feed(stream.slice(at, at + size)));
            events.push(...parser.end());
            assert.deepEqual(events, ['{"a":1}', '{"a":2}', "[DONE]"], `chunks of ${size}`);
        }
    });
    it("keeps a last event that is not closed by a blank line", () => {
        const parser = new SseParser();
        assert.deepEqual(parser.feed("data: 1\n\ndata: 2"), ["1"]);
        assert.deepEqual(parser.end(), ["2"]);
    });
});

describe("serve scheduler", () => {
    const never = new AbortController().signal;
    it("runs at most one request per slot, queues a bounded number, refuses the rest", async () => {
        const scheduler = new SlotScheduler(["s1"], 1);
        const first = await scheduler.acquire("a", never);
        const waiting = scheduler.acquire("b", never);
        await assert.rejects(scheduler.acquire("c", never), QueueFullError);
        first.release();
        assert.equal((await waiting).slot, "s1");
    });

    it("gives a freed slot to the client with the fewest running requests", async () => {
        const scheduler = new SlotScheduler(["s1", "s2"], 10);
        const busy1 = await scheduler.acquire("busy", never);
        const quiet = await scheduler.acquire("quiet", never);
        const order: string[] = [];
        const busy2 = scheduler.acquire("busy", never).then((l) => {
            order.push("busy");
            return l;
        });
        const quiet2 = scheduler.acquire("quiet", never).then((l) => {
            order.push("quiet");
            return l;
        });
        quiet.release(); // "busy" still runs one, "quiet" none: the quiet client goes first though it came later
        (await quiet2).release();
        busy1.release();
        await busy2;
        assert.deepEqual(order, ["quiet", "busy"]);
    });

    it("hands a client its previous slot (KV cache reuse) and drops waiters that give up", async () => {
        const scheduler = new SlotScheduler(["s1", "s2"], 10);
        const a = await scheduler.acquire("a", never);
        const b = await scheduler.acquire("b", never);
        const abort = new AbortController();
        const gaveUp = scheduler.acquire("c", abort.signal);
        abort.abort();
        await assert.rejects(gaveUp, (e: Error) => e.name === "AbortError");
        assert.equal(scheduler.queued, 0);
        b.release();
        a.release();
        assert.equal((await scheduler.acquire("b", never)).slot, b.slot);
    });
});

describe("serve command line", () => {
    it("defaults to loopback and reads the key from the environment", () => {
        const options = parseServeArgs(["--model", "m.gguf"], { APPRENTICE_SERVE_API_KEY: "k" });
        assert.equal(options.host, "127.0.0.1");
        assert.equal(options.apiKey, "k");
        assert.equal(options.parallel, 2);
        assert.equal(options.infillPromptAfterMid, true);
        assert.equal(
            parseServeArgs(["--model", "m", "--infill-layout", "psm"], {}).infillPromptAfterMid,
            false
        );
    });
    it("refuses another host without a key, bad numbers and unknown options", () => {
        assert.throws(() => parseServeArgs(["--model", "m", "--host", "0.0.0.0"], {}), /api-key/);
        assert.doesNotThrow(() =>
            parseServeArgs(["--model", "m", "--host", "0.0.0.0", "--api-key", "k"], {})
        );
        assert.throws(() => parseServeArgs(["--model", "m", "--parallel", "0"], {}), /--parallel/);
        assert.throws(() => parseServeArgs(["--model", "m", "--wat"], {}), /Unknown option/);
        assert.throws(() => parseServeArgs([], {}), /--model/);
    });
});

describe("backend status bar entry", () => {
    it("is hidden for the local model and names the host otherwise", () => {
        assert.equal(
            presentBackend({ kind: "local", health: "local", usingFallback: false }),
            undefined
        );
        const ok = presentBackend({
            kind: "llamaServer",
            host: "gpu.lan:8080",
            health: "ok",
            usingFallback: false
        })!;
        assert.match(ok.text, /gpu\.lan:8080/);
        assert.match(ok.tooltip, /Code is sent to gpu\.lan:8080/);
        assert.equal(ok.warning, false);
    });
    it("warns with the reason when the server fails, and says when the local model stands in", () => {
        const down = presentBackend({
            kind: "openAiCompatible",
            host: "h:1",
            health: "unauthorized",
            message: "h:1 refused the request (HTTP 401).",
            usingFallback: false
        })!;
        assert.equal(down.warning, true);
        assert.match(down.tooltip, /401/);
        const fallback = presentBackend({
            kind: "llamaServer",
            host: "h:1",
            health: "unreachable",
            usingFallback: true
        })!;
        assert.match(fallback.text, /local model/);
    });
});
