// Load benchmark of `serve` mode: N simulated users type into real source files at once against one
// server on 127.0.0.1; each keystroke is a llama.cpp /infill request (closed loop: the next keystroke
// is sent when the answer arrives). Reports throughput and per-keystroke latency p50/p95 for 1 user
// and for N users in the same run, as ratios. Not part of `npm test`.
//
// With --layouts psm,after-mid it runs the whole thing once per /infill layout and compares them.
//
//   npm run build && npm run bench:serve -- [--users 8] [--model FILE] [--parallel 2] [--threads 2]
//        [--positions 2] [--chars 6] [--prefix-lines 32] [--suffix-lines 8] [--n-predict 16] [--layouts after-mid]
import { spawn } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = Object.fromEntries(
    process.argv.slice(2).reduce((pairs, arg, i, all) => {
        if (arg.startsWith("--")) pairs.push([arg.slice(2), all[i + 1]]);
        return pairs;
    }, [])
);
const num = (name, fallback) => (args[name] === undefined ? fallback : Number(args[name]));
const modelsDir = process.env.APPRENTICE_MODELS_DIR ?? path.resolve(root, "..", "shared", "models");
const model = args.model ?? path.join(modelsDir, "shape-135m-q8_0.gguf");
const users = num("users", 8);
const parallel = num("parallel", 2);
const threads = num("threads", 2);
const positions = num("positions", 2);
const chars = num("chars", 6);
const layouts = (args.layouts ?? "after-mid").split(",");
const prefixLines = num("prefix-lines", 32);
const suffixLines = num("suffix-lines", 8);
const nPredict = num("n-predict", 16);

if (!existsSync(path.join(root, "dist", "engine.js")))
    throw new Error("Run `npm run build` first.");
if (!existsSync(model)) throw new Error(`Model not found: ${model}`);

// Real code to type into: the language server library's JavaScript, one file region per user.
const source = readFileSync(
    path.join(root, "node_modules", "vscode-languageserver", "lib", "common", "server.js"),
    "utf8"
).split("\n");

function startServer(layout) {
    const child = spawn(
        process.execPath,
        [
            path.join(root, "dist", "engine.js"),
            "serve",
            "--model",
            model,
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--parallel",
            String(parallel),
            "--threads",
            String(threads),
            "--ctx-size",
            "2048",
            "--max-queue",
            String(Math.max(16, users * 2)),
            "--gpu",
            "off",
            "--infill-layout",
            layout
        ],
        { stdio: ["ignore", "pipe", "inherit"] }
    );
    return new Promise((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
            out += chunk;
            const match = /listening on (http:\/\/\S+?:\d+)/.exec(out);
            if (match) resolve({ child, url: match[1], banner: out.trim() });
        });
        child.once("exit", (code) => reject(new Error(`serve exited with ${code}`)));
    });
}

/** The keystrokes of one user: at each position, the line is typed character by character. */
function keystrokes(user) {
    const out = [];
    for (let p = 0; p < positions; p++) {
        const line = 40 + (((user * positions + p) * 97) % (source.length - 80));
        const target =
            source[line].trimStart().length > chars
                ? source[line]
                : `${source[line]}    const value = compute(input);`;
        const indent = target.length - target.trimStart().length;
        const before = source.slice(Math.max(0, line - prefixLines), line).join("\n") + "\n";
        const after = "\n" + source.slice(line + 1, line + 1 + suffixLines).join("\n");
        for (let c = 1; c <= chars; c++) {
            const typed = target.slice(0, indent + c);
            out.push({
                input_prefix: before,
                prompt: typed,
                input_suffix: after,
                n_predict: nPredict,
                cache_prompt: true,
                temperature: 0
            });
        }
    }
    return out;
}

async function runUser(url, user) {
    const latencies = [];
    for (const body of keystrokes(user)) {
        const started = performance.now();
        const response = await fetch(`${url}/infill`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-apprentice-client": `user-${user}` },
            body: JSON.stringify(body)
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
        await response.json();
        latencies.push(performance.now() - started);
    }
    return latencies;
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function scenario(url, count) {
    const started = performance.now();
    const perUser = await Promise.all(
        Array.from({ length: count }, (_, user) => runUser(url, user))
    );
    const seconds = (performance.now() - started) / 1000;
    const all = perUser.flat().sort((a, b) => a - b);
    return {
        users: count,
        requests: all.length,
        seconds,
        throughput: all.length / seconds,
        p50: quantile(all, 0.5) / 1000,
        p95: quantile(all, 0.95) / 1000
    };
}

const row = (layout, r) =>
    `${layout.padEnd(9)} | ${String(r.users).padStart(5)} | ${String(r.requests).padStart(8)} | ${r.throughput.toFixed(2).padStart(10)} | ${r.p50.toFixed(3).padStart(7)} | ${r.p95.toFixed(3).padStart(7)}`;
console.log(
    `typing replay: ${positions} positions x ${chars} characters per user, prefix ${prefixLines} lines, suffix ${suffixLines} lines, n_predict ${nPredict}, closed loop`
);
const results = [];
for (const layout of layouts) {
    const { child, url, banner } = await startServer(layout);
    try {
        console.log(banner);
        await scenario(url, 1); // warm-up (first load of weights into the caches)
        const one = await scenario(url, 1);
        const many = await scenario(url, users);
        results.push({ layout, one, many });
        console.log("layout    | users | requests | requests/s | p50 (s) | p95 (s)");
        console.log(row(layout, one));
        console.log(row(layout, many));
        console.log(
            `${layout}: ${users} users vs 1: throughput x${(many.throughput / one.throughput).toFixed(2)}, latency p50 x${(many.p50 / one.p50).toFixed(2)}, p95 x${(many.p95 / one.p95).toFixed(2)}`
        );
    } finally {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
    }
}
if (results.length > 1) {
    const [a, b] = results;
    console.log(
        `${b.layout} vs ${a.layout}, 1 user: p50 x${(b.one.p50 / a.one.p50).toFixed(2)} (${a.one.p50.toFixed(3)} -> ${b.one.p50.toFixed(3)} s); ${users} users: p50 x${(b.many.p50 / a.many.p50).toFixed(2)}, throughput x${(b.many.throughput / a.many.throughput).toFixed(2)}`
    );
}
