// End-to-end: what a person sees. Runs every check in test/e2e/checks (in file-name order) against one
// code-server window with the packaged .vsix installed. A check exports `title`, optional `files`
// ({ path: content } written to the workspace) and `settings`, and `run(session)`, which throws on
// failure and may return { screenshot, detail }. Exits non-zero when a check fails; writes counts to
// APPRENTICE_TEST_RESULTS when set.
import { readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MODELS, openSession } from "./session.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const checks = [];
for (const file of readdirSync(path.join(here, "checks"))
    .filter((f) => f.endsWith(".mjs"))
    .sort()) {
    checks.push({ file, ...(await import(pathToFileURL(path.join(here, "checks", file)).href)) });
}
const settings = {
    "apprentice.modelPath": path.join(MODELS, "tiny-fim-random.gguf"),
    "apprentice.threads": 1,
    "apprentice.gpu": "off",
    ...Object.assign({}, ...checks.map((c) => c.settings ?? {}))
};
const files = Object.assign({}, ...checks.map((c) => c.files ?? {}));
const counts = { passed: 0, failed: 0 };
const started = Date.now();
let session;
try {
    session = await openSession({ settings, files });
    console.log(
        `e2e: code-server with the packaged extension is up after ${((Date.now() - started) / 1000).toFixed(1)} s`
    );
    for (const check of checks) {
        const t = Date.now();
        try {
            const result = (await check.run(session)) ?? {};
            counts.passed++;
            console.log(
                `  ✔ ${check.title} (${Date.now() - t} ms)${result.detail ? `: ${result.detail}` : ""}`
            );
            if (result.screenshot)
                console.log(`    screenshot: ${path.relative(process.cwd(), result.screenshot)}`);
        } catch (error) {
            counts.failed++;
            console.log(
                `  ✖ ${check.title}: ${error instanceof Error ? error.message : String(error)}`
            );
            const shot = await session
                .screenshot(`failed-${path.basename(check.file, ".mjs")}`)
                .catch(() => undefined);
            if (shot) console.log(`    screenshot: ${path.relative(process.cwd(), shot)}`);
        }
    }
} catch (error) {
    counts.failed++;
    console.log(`  ✖ e2e session: ${error instanceof Error ? error.stack : String(error)}`);
} finally {
    await session?.close();
}
console.log(
    `e2e: ${counts.passed} passed, ${counts.failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`
);
if (process.env.APPRENTICE_TEST_RESULTS)
    writeFileSync(process.env.APPRENTICE_TEST_RESULTS, JSON.stringify(counts));
process.exit(counts.failed > 0 ? 1 : 0);
