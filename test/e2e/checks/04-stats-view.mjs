// A person opens Apprentice: Show Completion Stats beside the code, sees the counts and charts, and
// watches them change as a new suggestion is shown. The view runs inside VS Code's webview iframes.
import { frameWith } from "../frames.mjs";

export const title =
    "completion stats: the view opens beside the code with the local counts and updates live";

async function command(page, name) {
    await page.keyboard.press("F1");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(`>${name}`);
    await page
        .locator(".quick-input-list .monaco-list-row", {
            hasText: name.replace(/^Apprentice: /, "")
        })
        .first()
        .waitFor();
    await page.keyboard.press("Enter");
}

export async function run(session) {
    const { page } = session;
    // The ghost text of the check before was shown in the sample's src/timing.js.
    await session.openFile("timing.js");
    await command(page, "Apprentice: Show Completion Stats");
    const stats = await frameWith(page, "#tile-shown", "the stats page");
    const shown = async () => Number(await stats.locator("#tile-shown .tile-value").textContent());
    await stats
        .locator("#tile-shown .tile-value")
        .filter({ hasText: /^\d+$/ })
        .waitFor({ timeout: 30_000 });
    const before = await shown();
    if (!(before >= 1))
        throw new Error(`the ghost text shown earlier is not counted (Shown: ${before})`);
    // A vertical SVG line has no width, so Playwright calls it hidden: wait for it to be drawn, not visible.
    await stats.locator("#latency-chart .marker-p50").first().waitFor({ state: "attached" });
    const javascript = await stats
        .locator("#language-table tbody tr", { hasText: "javascript" })
        .count();
    if (javascript !== 1) throw new Error("javascript is not listed by language");
    // A new suggestion in the editor (still visible beside the view) shows up in the open view.
    await page.locator(".monaco-editor .view-lines").first().click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("\nexport const half = (x) => ", { delay: 40 });
    const ghost = page.locator(
        ".ghost-text-decoration, .ghost-text-decoration-preview, .ghost-text"
    );
    for (let i = 0; i < 60 && (await shown()) <= before; i++) {
        if (!(await ghost.first().isVisible())) await page.keyboard.press("Alt+Backslash");
        await page.waitForTimeout(1000);
    }
    const after = await shown();
    if (!(after > before))
        throw new Error(
            `the open view did not count the new suggestion (Shown ${before} → ${after})`
        );
    await page.keyboard.press("Escape");
    const detail = `Shown ${before} → ${after} live; p50 ${await stats.locator("#tile-p50 .tile-value").textContent()}, accepted ${await stats.locator("#tile-accepted .tile-detail").textContent()}`;
    return { screenshot: await session.screenshot("stats-view"), detail };
}
