// `npm test`: type check, lint, build, then the unit and engine tests with node's test runner.
// Prints each stage's time; exits non-zero when any stage fails.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { readdirSync, existsSync } from "node:fs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const timings = [];

function stage(name, command, args, env = {}) {
    const started = Date.now();
    console.log(`\n=== ${name}: ${[path.basename(command), ...args].join(" ")}`);
    const result = spawnSync(command, args, {
        cwd: root,
        stdio: "inherit",
        env: { ...process.env, ...env }
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    timings.push(`${name} ${seconds}s`);
    if (result.status !== 0) {
        console.error(
            `\n${name} failed (exit ${result.status ?? result.signal}) after ${seconds}s`
        );
        console.log(`stages: ${timings.join(", ")}`);
        process.exit(result.status || 1);
    }
}

function testFiles(dir) {
    const full = path.join(root, dir);
    if (!existsSync(full)) return [];
    return readdirSync(full, { recursive: true })
        .filter((f) => String(f).endsWith(".test.js"))
        .map((f) => path.join(dir, String(f)));
}

stage("typecheck", process.execPath, [
    path.join(root, "node_modules/typescript/bin/tsc"),
    "-p",
    ".",
    "--noEmit"
]);
stage("typecheck webview", process.execPath, [
    path.join(root, "node_modules/typescript/bin/tsc"),
    "-p",
    "src/webview",
    "--noEmit"
]);
stage("lint", bin("eslint"), ["src", "test", "scripts"]);
stage("import circles", process.execPath, ["scripts/check-cycles.mjs"]);
stage("formatting", bin("prettier"), ["--check", "src", "test", "scripts"]);
stage("build", process.execPath, ["scripts/build.mjs", "--tests"]);
const files = [...testFiles("out/test/unit"), ...testFiles("out/test/engine")];
if (files.length === 0) {
    console.error("No test files found under out/test/unit and out/test/engine.");
    process.exit(1);
}
// One file at a time: engine tests load models and share two cores.
stage("unit + engine tests", process.execPath, [
    "--test",
    "--test-reporter=spec",
    "--test-concurrency=1",
    ...files
]);
// The chat and completion stats webviews in a real headless Chromium (about 5 s); skipped where no Chromium is installed, required in CI.
const chromium =
    process.env.APPRENTICE_CHROMIUM ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (existsSync(chromium) || process.env.CI)
    stage("browser test", process.execPath, [
        "--test",
        "--test-reporter=spec",
        "--test-concurrency=1",
        "test/e2e/chatWebview.browser.mjs",
        "test/e2e/statsWebview.browser.mjs"
    ]);
else
    console.log(`\n=== browser test skipped: no Chromium at ${chromium} (set APPRENTICE_CHROMIUM)`);
console.log(`stages: ${timings.join(", ")}`);
