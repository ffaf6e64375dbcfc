// What a person does first: `npm start` in this clone, open the printed address, wait for Apprentice,
// type in the sample project. Runs the real `npm start` (its own process group, killed at the end),
// opens the address in headless Chromium and checks:
//   - one http://127.0.0.1 address is printed;
//   - the workspace is the sample copy, not the repository;
//   - the Apprentice status item becomes ready with the coder model (its hover names the file);
//   - typing in src/timing.js shows ghost text;
//   - nothing made a network connection: every Node process of the server (server, extension host,
//     engine...) runs with test/support/noNetwork.js preloaded through NODE_OPTIONS, which records
//     (and refuses) every non-loopback connection and DNS lookup, and Chromium's requests to
//     anything but 127.0.0.1 are recorded too. Any record fails the run.
// Screenshots go to .artifacts/start/. Prints the times from `npm start` to the address and to ready.
// Usage: node test/e2e/npmStart.mjs   (needs the tools: node scripts/vscode-test/tools.mjs)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { ROOT } from "../../scripts/vscode-test/tools.mjs";
import { launchChromium } from "../../scripts/vscode-test/vscodeServer.mjs";

const DATA = path.join(ROOT, ".test-data", "npm-start");
const ARTIFACTS = path.join(ROOT, ".artifacts", "start");
const GUARD = path.join(ROOT, "out", "test", "support", "noNetwork.js");
const MODEL_NAME = "coder-48m-fim-q8_0.gguf";
const failures = [];
const notes = [];
const t0 = Date.now();
const seconds = () => ((Date.now() - t0) / 1000).toFixed(1);

function fail(message) {
    failures.push(message);
    console.log(`  ✖ ${message}`);
}
function pass(message) {
    notes.push(message);
    console.log(`  ✔ ${message}`);
}

rmSync(DATA, { recursive: true, force: true });
mkdirSync(DATA, { recursive: true });
mkdirSync(ARTIFACTS, { recursive: true });
if (!existsSync(GUARD)) {
    const build = spawnSync(
        process.execPath,
        [path.join(ROOT, "scripts", "build.mjs"), "--tests"],
        { cwd: ROOT, stdio: "inherit" }
    );
    if (build.status !== 0) throw new Error("building the tests failed");
}
const netLog = path.join(DATA, "net.log");
const processesLog = path.join(DATA, "processes.log");
writeFileSync(netLog, "");
writeFileSync(processesLog, "");

// The same environment a person has, plus the recorder. npm's own update check is off: it is npm's
// request, not the product's (and a fresh machine may not have it turned off).
const env = {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${GUARD}`.trim(),
    APPRENTICE_NET_LOG: netLog,
    APPRENTICE_NET_PROCESSES: processesLog,
    APPRENTICE_NET_FOLLOW_CHILDREN: "1",
    npm_config_update_notifier: "false",
    APPRENTICE_BROWSER: "1"
};
delete env.APPRENTICE_MODEL;
const started = Date.now();
const child = spawn("npm", ["start"], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"]
});
let output = "";
child.stdout.on("data", (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
});
child.stderr.on("data", (chunk) => {
    output += chunk;
    process.stderr.write(chunk);
});
// The VS Code server runs in a process group of its own (start.mjs stops it on SIGINT/SIGTERM, as on
// a person's Ctrl+C); its pid comes from the recorder's process list. Stopping: SIGTERM to npm start's
// group, a few seconds for start.mjs to stop the server, then SIGKILL to both groups.
const serverPids = () =>
    readFileSync(processesLog, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .filter((p) => p.argv.some((a) => /server-main\.js$/.test(a)))
        .map((p) => p.pid);
const kill = (pgid, signal) => {
    try {
        process.kill(-pgid, signal);
        return true;
    } catch {
        return false;
    }
};
const killNow = () => {
    for (const pgid of [child.pid, ...serverPids()]) kill(pgid, "SIGKILL");
};
async function stopStart() {
    kill(child.pid, "SIGTERM");
    for (let i = 0; i < 100 && serverPids().some((pid) => kill(pid, 0)); i++)
        await new Promise((resolve) => setTimeout(resolve, 100));
    const left = serverPids().filter((pid) => kill(pid, 0));
    killNow();
    return left;
}
process.once("exit", killNow);
for (const signal of ["SIGINT", "SIGTERM"])
    process.once(signal, () => {
        killNow();
        process.exit(130);
    });

async function waitFor(what, condition, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await condition();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
}

let browser;
let page;
let left = [];
const browserRequests = [];
try {
    const url = await waitFor(
        "the address npm start prints",
        () => {
            if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
            return /^\s+(http:\/\/127\.0\.0\.1:\d+\/\S*)$/m.exec(output)?.[1];
        },
        600_000
    );
    const toAddress = Date.now() - started;
    const addresses = output.match(/https?:\/\/\S+/g) ?? [];
    if (addresses.length === 1)
        pass(`one address printed after ${(toAddress / 1000).toFixed(1)} s`);
    else
        fail(`expected one address, npm start printed ${addresses.length}: ${addresses.join(" ")}`);
    const folder = new URL(url).searchParams.get("folder") ?? "";
    if (folder === path.join(ROOT, ".test-data", "start", "sample"))
        pass(`the workspace is the sample copy (${path.relative(ROOT, folder)})`);
    else fail(`the workspace is ${folder}, not the sample copy`);

    browser = await launchChromium(path.join(DATA, "chromium"));
    // A request to another host counts unless a service worker answered it: webviews ask for their
    // resources at https://*.vscode-resource.vscode-cdn.net and VS Code's service worker serves
    // them from 127.0.0.1 (the worker's own fetch is seen here as a 127.0.0.1 request).
    const outside = (request) => {
        const target = new URL(request.url());
        if (
            ["data:", "blob:", "vscode-webview:", "vscode-file:", "chrome-extension:"].includes(
                target.protocol
            )
        )
            return false;
        return target.hostname !== "127.0.0.1" && target.hostname !== "localhost";
    };
    browser.on("requestfinished", async (request) => {
        if (!outside(request)) return;
        const response = await request.response().catch(() => null);
        if (response?.fromServiceWorker()) return;
        browserRequests.push(
            `${request.method()} ${request.url().slice(0, 200)} (${response?.status() ?? "no response"})`
        );
    });
    browser.on("requestfailed", (request) => {
        if (outside(request))
            browserRequests.push(
                `${request.method()} ${request.url().slice(0, 200)} (failed: ${request.failure()?.errorText ?? "?"})`
            );
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(url);
    await page.locator(".monaco-workbench").waitFor({ timeout: 120_000 });

    // Ready: "$(sparkle) Apprentice"; its hover says which model.
    const item = page
        .locator(".statusbar-item", { hasText: "Apprentice" })
        .filter({ has: page.locator(".codicon-sparkle") })
        .first();
    await item.waitFor({ timeout: 180_000 });
    const toReady = Date.now() - started;
    await item.hover();
    const hover = page.locator(".monaco-hover, .workbench-hover", { hasText: MODEL_NAME }).first();
    const hoverText = await hover.waitFor({ timeout: 15_000 }).then(
        () => hover.textContent(),
        () => ""
    );
    if (hoverText?.includes(MODEL_NAME))
        pass(
            `Apprentice ready with ${MODEL_NAME} ${(toReady / 1000).toFixed(1)} s after npm start`
        );
    else fail(`the Apprentice status item is ready but its hover does not name ${MODEL_NAME}`);
    await page.screenshot({ path: path.join(ARTIFACTS, "start-ready.png") });

    // Ghost text in the sample: debounce() in src/timing.js, the empty line 6.
    await page.keyboard.press("Escape");
    await page
        .locator(".monaco-workbench")
        .click({ position: { x: 600, y: 300 } })
        .catch(() => undefined);
    await page.keyboard.press("Control+P");
    await page.locator(".quick-input-widget input").fill("timing.js");
    await page
        .locator(".quick-input-list .monaco-list-row", { hasText: "timing.js" })
        .first()
        .waitFor();
    await page.keyboard.press("Enter");
    await page.locator('.tab[aria-label*="timing.js"]').first().waitFor();
    await page.locator(".monaco-editor .view-lines").first().click();
    await page.keyboard.press("Control+G");
    await page.keyboard.type("6");
    await page.keyboard.press("Enter");
    await page.keyboard.press("End");
    await page.keyboard.type("clearTimeout(", { delay: 60 });
    const ghost = page.locator(
        ".ghost-text-decoration, .ghost-text-decoration-preview, .ghost-text"
    );
    if (!(await ghost.first().isVisible())) await page.keyboard.press("Alt+Backslash");
    const shown = await ghost
        .first()
        .waitFor({ state: "visible", timeout: 60_000 })
        .then(
            async () => (await ghost.allTextContents()).join(""),
            () => ""
        );
    await page.screenshot({ path: path.join(ARTIFACTS, "start-ghost-text.png") });
    if (shown.trim())
        pass(
            `typing "clearTimeout(" in src/timing.js shows ghost text ${JSON.stringify(shown)} ${seconds()} s after start`
        );
    else fail("no ghost text after typing in src/timing.js");
    const dirty = spawnSync("git", ["status", "--porcelain", "--", "sample"], {
        cwd: ROOT,
        encoding: "utf8"
    }).stdout.trim();
    if (dirty) fail(`the repository's sample/ changed: ${dirty}`);
} catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    await page
        ?.screenshot({ path: path.join(ARTIFACTS, "start-failed.png") })
        .catch(() => undefined);
} finally {
    await browser?.close().catch(() => undefined);
    left = await stopStart();
}
if (left.length > 0)
    fail(
        `the VS Code server (pid ${left.join(", ")}) was still running 10 s after npm start got SIGTERM`
    );
else pass("SIGTERM to npm start stopped the VS Code server");

// What the recorder saw, and where it ran.
const processes = readFileSync(processesLog, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const ran = (pattern) => processes.some((p) => p.argv.some((a) => pattern.test(a)));
for (const [what, pattern] of [
    ["the VS Code server", /server-main\.js$/],
    ["the extension host", /--type=extensionHost|extensionHostProcess|bootstrap-fork/],
    ["the Apprentice engine", /dist[\\/]engine\.js$/]
]) {
    if (ran(pattern)) pass(`the connection recorder ran in ${what}`);
    else
        fail(
            `the connection recorder did not run in ${what} (processes: ${processes.map((p) => p.argv.slice(0, 2).join(" ")).join("; ")})`
        );
}
const attempts = readFileSync(netLog, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
writeFileSync(
    path.join(ARTIFACTS, "network.json"),
    JSON.stringify({ attempts, browserRequests, processes }, null, 2)
);
if (attempts.length === 0)
    pass(`no network connection or DNS lookup from ${processes.length} Node processes`);
else
    fail(
        `${attempts.length} network attempts from the server's processes: ${[...new Set(attempts.map((a) => `${a.kind} ${a.target}`))].join(", ")} (details: .artifacts/start/network.json)`
    );
if (browserRequests.length === 0) pass("no browser request outside 127.0.0.1");
else
    fail(
        `${browserRequests.length} browser requests outside 127.0.0.1: ${[...new Set(browserRequests)].slice(0, 10).join(", ")}`
    );

console.log(`npm start: ${notes.length} passed, ${failures.length} failed in ${seconds()} s`);
process.exit(failures.length > 0 ? 1 : 0);
