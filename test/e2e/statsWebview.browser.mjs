// The completion stats view as a person sees it, in a real headless Chromium driven by
// playwright-core: the built page with its real Content-Security-Policy, served from 127.0.0.1,
// fed with stats computed by the extension's own code from counts made through LocalCompletionStats.
// Needs `node scripts/build.mjs` first. Saves .artifacts/stats-{dark,light}.png and .artifacts/stats-aria.yaml.
import { strict as assert } from "node:assert";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import { applyTheme } from "./vscodeThemes.mjs";
import { launchPage, serveWebviewPage } from "./webviewPageServer.mjs";
import { chromiumPath, importSource, root } from "./webviewTestSource.mjs";

describe(
    "completion stats view in Chromium",
    {
        skip:
            !existsSync(chromiumPath) && !process.env.CI ? `no Chromium at ${chromiumPath}` : false
    },
    () => {
        let server;
        let browser;
        let page;
        let stats;
        let buildStatsView;
        const consoleErrors = [];
        const send = (message) => page.evaluate((m) => window.postMessage(m, "*"), message);
        const now = new Date(2026, 11, 4, 17, 30).getTime();
        const hour = 3_600_000;

        before(async () => {
            ({ buildStatsView } = await importSource("src/extension/completion/statsView.ts"));
            const { LocalCompletionStats } = await importSource(
                "src/extension/completion/localStats.ts"
            );
            const { chatPageHtml } = await importSource("src/extension/chat/chatPage.ts");
            // Two days of typing: the acceptance rate climbs as the afternoon goes on; latencies spread around 200 ms.
            stats = new LocalCompletionStats();
            let seed = 7;
            const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
            for (let h = 30; h >= 0; h--) {
                if (h > 8 && h < 20) continue; // the night
                const t = now - h * hour;
                for (let i = 0; i < 6 + (h % 5); i++) {
                    const language = ["typescript", "typescript", "python", "javascript", "rust"][
                        Math.floor(random() * 5)
                    ];
                    stats.onShown(
                        Math.round(80 + random() * 250 + (random() < 0.08 ? 600 : 0)),
                        language,
                        t
                    );
                    if (random() < 0.25 + (30 - h) / 80) stats.onAccepted(language, t);
                    if (random() < 0.3) stats.onCancelled(language);
                }
            }
            stats.onPartiallyAccepted();
            let origin;
            ({ server, origin } = await serveWebviewPage(root, (o) =>
                chatPageHtml({
                    cspSource: o,
                    nonce: "statsnonce1",
                    scriptUri: `${o}/media/dist/stats.js`,
                    styleUri: `${o}/media/stats.css`,
                    codiconsUri: `${o}/media/dist/codicons/codicon.css`,
                    title: "Apprentice Completion Stats"
                })
            ));
            ({ browser, page } = await launchPage(
                chromium,
                chromiumPath,
                { width: 960, height: 900 },
                consoleErrors
            ));
            await page.addInitScript(() => {
                window.__posted = [];
                window.acquireVsCodeApi = () => ({
                    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
                    getState: () => undefined,
                    setState: () => undefined
                });
                document.addEventListener("securitypolicyviolation", (e) => {
                    (window.__violations ??= []).push(e.violatedDirective);
                });
            });
            await page.goto(origin);
            await applyTheme(page, "dark");
            await page.waitForFunction(() => window.__posted.some((m) => m.type === "ready"));
        });

        after(async () => {
            await browser?.close();
            await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
        });

        it("draws the totals, the rate over time, the latency histogram with p50/p95 and the languages", async () => {
            const view = buildStatsView(stats.snapshot(), true, now);
            await send({ type: "stats", stats: view });
            await page
                .locator("#tile-shown .tile-value")
                .filter({ hasText: String(view.shown) })
                .waitFor();
            assert.equal(
                await page.textContent("#tile-accepted .tile-value"),
                String(view.accepted)
            );
            assert.match(
                await page.textContent("#tile-accepted .tile-detail"),
                new RegExp(`${Math.round(view.acceptanceRate * 100)}% of shown`)
            );
            assert.equal(await page.textContent("#tile-p50 .tile-value"), `${view.latency.p50} ms`);
            assert.equal(await page.textContent("#tile-p95 .tile-value"), `${view.latency.p95} ms`);
            assert.equal(view.rate.unit, "hour", "31 hours of data are drawn per hour");
            assert.equal(
                await page.locator("#rate-chart circle.dot-rate").count(),
                view.rate.points.filter((p) => p.shown > 0).length,
                "one point per hour with suggestions"
            );
            assert.equal(
                await page.locator("#latency-chart rect.bar-latency").count(),
                view.latency.buckets.length
            );
            assert.match(
                await page.textContent("#latency-chart .marker-label.marker-p50"),
                new RegExp(`p50 ${view.latency.p50} ms`)
            );
            assert.match(
                await page.textContent("#latency-chart .marker-label.marker-p95"),
                new RegExp(`p95 ${view.latency.p95} ms`)
            );
            const rows = await page.locator("#language-table tbody tr").allTextContents();
            assert.deepEqual(
                rows.map((r) => r.match(/^[a-z]+/)[0]),
                view.languages.map((l) => l.languageId)
            );
            assert.equal(view.languages[0].languageId, "typescript", "most suggestions first");
            assert.equal(await page.textContent("#state"), "On");
            assert.equal(
                await page.evaluate(() => window.__violations),
                undefined,
                "nothing broke the CSP"
            );
            await mkdir(path.join(root, ".artifacts"), { recursive: true });
            for (const theme of ["dark", "light"]) {
                await applyTheme(page, theme);
                await page.screenshot({
                    path: path.join(root, ".artifacts", `stats-${theme}.png`),
                    fullPage: true
                });
            }
            await applyTheme(page, "dark");
        });

        it("redraws live when a new count arrives, and shows the toggle's state", async () => {
            stats.onShown(150, "go", now);
            stats.onAccepted("go", now);
            const view = buildStatsView(stats.snapshot(), false, now);
            await send({ type: "stats", stats: view });
            await page
                .locator("#tile-shown .tile-value")
                .filter({ hasText: String(view.shown) })
                .waitFor();
            assert.ok(
                (await page.locator("#language-table tbody tr").allTextContents()).some((r) =>
                    r.startsWith("go")
                ),
                "the new language is listed"
            );
            assert.equal(await page.textContent("#state"), "Off");
            await page.getByRole("button", { name: "Turn inline completion on" }).click();
            await page.waitForFunction(() => window.__posted.some((m) => m.type === "toggle"));
        });

        it("names its parts for screen readers (Playwright's aria snapshot)", async () => {
            const tree = await page.locator("body").ariaSnapshot();
            await writeFile(path.join(root, ".artifacts", "stats-aria.yaml"), tree);
            for (const expected of [
                /heading "Inline completion" \[level=1\]/,
                /group "Shown: \d+"/,
                /group "Latency p95: \d+ ms"/,
                /img "Acceptance rate over time, per hour: \d+% of \d+ suggestions accepted/,
                /img "Latency histogram of \d+ suggestions: p50 \d+ ms, p95 \d+ ms"/,
                /img "Suggestions by language: typescript/,
                /table/,
                /button "Turn inline completion on"/,
                /button "Settings"/
            ]) {
                assert.match(tree, expected, tree);
            }
        });

        it("a short history's histogram counts in whole suggestions, each tick once", async () => {
            const { LocalCompletionStats: Fresh } = await importSource(
                "src/extension/completion/localStats.ts"
            );
            const few = new Fresh();
            for (const ms of [120, 480, 900]) few.onShown(ms, "typescript", now);
            await send({ type: "stats", stats: buildStatsView(few.snapshot(), true, now) });
            await page.locator("#tile-shown .tile-value").filter({ hasText: /^3$/ }).waitFor();
            const ticks = await page
                .locator("#latency-chart svg text.tick-count")
                .allTextContents();
            assert.deepEqual(ticks, [...new Set(ticks)], `y ticks: ${ticks.join(", ")}`);
            assert.deepEqual(ticks.slice(0, 2), ["0", "1"], `y ticks: ${ticks.join(", ")}`);
        });

        it("an empty history says so instead of drawing empty charts; a bad message is rejected", async () => {
            const { emptySnapshot } = await importSource("src/extension/completion/localStats.ts");
            await send({ type: "stats", stats: buildStatsView(emptySnapshot(), true, now) });
            await page.locator("#rate-chart .chart-empty").waitFor();
            assert.match(await page.textContent("#rate-chart"), /No suggestions shown yet/);
            assert.match(await page.textContent("#latency-chart"), /No latencies measured yet/);
            await send({ type: "evil" });
            await page.waitForFunction(() => true);
            await new Promise((r) => setTimeout(r, 100));
            assert.ok(
                consoleErrors.some((e) => /rejected a message/.test(e)),
                consoleErrors.join("\n")
            );
        });
    }
);
