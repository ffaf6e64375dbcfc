import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { llamaServerArgs } from "../bench/llamaServerProcess";
import { editorStops } from "../bench/suites/editor";
import { BenchOptionError, parseBenchArgs } from "../bench/options";
import {
    documentBeforeTyping,
    findSourceFiles,
    infillBody,
    isReplaySource,
    parseInfillTimings,
    pickPositions,
    windowAt,
    type SourceFile
} from "../bench/replay";
import { REPO_ROOT } from "../support/models";

const file: SourceFile = {
    name: "a.js",
    lines: Array.from({ length: 400 }, (_, i) =>
        i % 5 === 4 ? "" : `const value${i} = compute(${i});`
    )
};

describe("typing replay workload", () => {
    it("picks the same positions for the same seed, at non-empty lines, typing their first characters", () => {
        const a = pickPositions([file], 10, 8, 7);
        const b = pickPositions([file], 10, 8, 7);
        assert.deepEqual(
            a.map((p) => p.line),
            b.map((p) => p.line)
        );
        assert.notDeepEqual(
            a.map((p) => p.line),
            pickPositions([file], 10, 8, 8).map((p) => p.line)
        );
        for (const p of a) {
            assert.ok(file.lines[p.line]!.trim().length > 0);
            assert.equal(p.typed, file.lines[p.line]!.slice(0, 8));
        }
    });
    it("cuts llama.vscode's window: 256 lines before, the typed part, the rest and 64 lines after", () => {
        const [p] = pickPositions([file], 1, 6, 3);
        const position = { ...p!, line: 300, typed: file.lines[300]!.slice(0, 6) };
        const w = windowAt(position, 4);
        assert.equal(w.prefix.split("\n").length - 1, 256);
        assert.ok(w.prefix.startsWith(`${file.lines[44]}\n`));
        assert.equal(w.prompt, file.lines[300]!.slice(0, 4));
        assert.equal(w.suffix.split("\n").length - 1, 64);
        assert.equal(documentBeforeTyping(position).split("\n")[300], "");
        const body = infillBody(position, 4, 16);
        assert.deepEqual(
            [body.n_predict, body.top_k, body.top_p, body.cache_prompt, body.id_slot],
            [16, 40, 0.99, true, 0]
        );
        assert.deepEqual(body.samplers, ["top_k", "top_p", "infill"]);
    });
    it("accepts hand-written sources and refuses minified or tiny ones", () => {
        assert.equal(isReplaySource(file.lines.concat(file.lines).join("\n")), true);
        assert.equal(isReplaySource("x".repeat(5000)), false);
        assert.equal(isReplaySource(file.lines.slice(0, 100).join("\n")), false);
    });
    it("finds real source files in node_modules reproducibly", () => {
        const root = path.join(REPO_ROOT, "node_modules");
        const a = findSourceFiles(root, 3, 7, REPO_ROOT);
        assert.equal(a.length, 3);
        assert.deepEqual(
            a.map((f) => f.name),
            findSourceFiles(root, 3, 7, REPO_ROOT).map((f) => f.name)
        );
        for (const f of a) {
            assert.ok(
                f.lines.length >= 500 && f.lines.length <= 2000,
                `${f.name}: ${f.lines.length} lines`
            );
            assert.doesNotMatch(f.name, /\.d\.ts$|\.min\.js$/);
        }
    });
    it("reads the figures of a recorded llama.cpp server /infill answer", (t) => {
        const fixture = path.resolve(
            REPO_ROOT,
            "..",
            "shared",
            "fixtures",
            "llama-server",
            "infill.txt"
        );
        if (!existsSync(fixture)) {
            if (process.env.CI) assert.fail(`fixture missing: ${fixture}`);
            t.skip("shared fixtures not found");
            return;
        }
        const text = readFileSync(fixture, "utf8");
        const body = JSON.parse(text.slice(text.indexOf("\n{") + 1)) as unknown;
        assert.deepEqual(parseInfillTimings(body), { evaluated: 19, reused: 0, generated: 8 });
    });
});

describe("editor typing script", () => {
    it("empties each line down to its indentation and types what follows, never a CRLF file's carriage return", () => {
        const crlf: SourceFile = {
            name: "b.js",
            lines: ["a\r", "    foo(bar)\r", "  */\r", "   \r"]
        };
        const stops = editorStops(
            [
                { file: crlf, line: 1, typed: "" },
                { file: crlf, line: 2, typed: "" },
                { file: crlf, line: 3, typed: "" }
            ],
            8
        );
        assert.equal(
            stops.length,
            2,
            "a line with nothing after its indentation has nothing to type"
        );
        assert.deepEqual(
            stops.map((s) => [s.indent, s.typed]),
            [
                ["    ", "foo(bar)"],
                ["  ", "*/"]
            ]
        );
        assert.equal(
            stops[0]!.text,
            "a\r\n    \r\n  */\r\n   \r",
            "the rest of the file as it was"
        );
    });
});

describe("bench options", () => {
    const env = { repoRoot: "/repo", modelsDir: "/models", cores: 2 };
    it("defaults to a quick run of every suite on the shape model with cores - 1 threads", () => {
        const o = parseBenchArgs([], env);
        assert.equal(o.mode, "quick");
        assert.equal(o.model, "/models/shape-135m-q8_0.gguf");
        assert.equal(o.threads, 1);
        assert.deepEqual(o.threadCounts, [1, 2]);
        assert.equal(o.packageVsix, false);
        assert.equal(o.out, "/repo/bench-results");
        assert.equal(o.restMs, 0, "no rest before typing unless asked");
        assert.equal(parseBenchArgs(["--rest", "1500"], env).restMs, 1500);
        assert.equal(o.embeddingModel, undefined, "no embedding run unless asked");
        assert.equal(
            parseBenchArgs(["--embedding-model", "/models/embed.gguf"], env).embeddingModel,
            "/models/embed.gguf"
        );
    });
    it("takes the issue's sizes in full mode and explicit values over defaults", () => {
        const o = parseBenchArgs(
            [
                "--full",
                "--threads",
                "2",
                "--suites",
                "threads,replay",
                "--llama-server",
                "http://127.0.0.1:8012/"
            ],
            env
        );
        assert.deepEqual(
            [o.positions, o.chars, o.maxTokens, o.memoryCompletions, o.packageVsix],
            [20, 24, 16, 1000, true]
        );
        assert.deepEqual(o.threadCounts, [1, 2, 4]);
        assert.equal(o.threads, 2);
        assert.deepEqual(o.suites, ["threads", "replay"]);
        assert.equal(o.llamaServer, "http://127.0.0.1:8012");
    });
    it("replays the given models in one run, each against a llama-server it starts on 127.0.0.1", () => {
        assert.deepEqual(
            parseBenchArgs([], env).replayModels,
            ["/models/shape-135m-q8_0.gguf"],
            "the replay model defaults to --model"
        );
        const o = parseBenchArgs(
            ["--replay-models", "/m/a.gguf, /m/b.gguf", "--llama-server-bin", "/bin/llama-server"],
            env
        );
        assert.deepEqual(o.replayModels, ["/m/a.gguf", "/m/b.gguf"]);
        assert.equal(o.llamaServerBin, "/bin/llama-server");
        const args = llamaServerArgs("/m/b.gguf", 2, 8123);
        assert.deepEqual(args.slice(args.indexOf("--host"), args.indexOf("--host") + 4), [
            "--host",
            "127.0.0.1",
            "--port",
            "8123"
        ]);
        assert.deepEqual(
            args.slice(args.indexOf("-t"), args.indexOf("-t") + 2),
            ["-t", "2"],
            "the engine's thread count"
        );
        assert.deepEqual(
            args.slice(args.indexOf("-b"), args.indexOf("-b") + 4),
            ["-b", "1024", "-ub", "512"],
            "a 2,048-token model's /infill needs a smaller batch"
        );
    });
    it("refuses unknown options, suites and bad values with a named error", () => {
        assert.throws(() => parseBenchArgs(["--fast"], env), BenchOptionError);
        assert.throws(() => parseBenchArgs(["--suites", "nope"], env), /Unknown suite nope/);
        assert.throws(() => parseBenchArgs(["--threads", "0"], env), /integer ≥ 1/);
        assert.throws(() => parseBenchArgs(["--llama-server", "localhost"], env), /http/);
    });
});
