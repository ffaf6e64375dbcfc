// A person opens Apprentice's status menu and sees the engine's state, the model, inline completion
// on or off (and turns it off and on from there) and the stats.
export const title = "status menu: state, model, completion toggle with its state, and the stats";

async function openMenu(page) {
    await page.keyboard.press("F1");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(">Apprentice: Show Menu");
    await page
        .locator(".quick-input-list .monaco-list-row", { hasText: "Show Menu" })
        .first()
        .waitFor();
    await page.keyboard.press("Enter");
    await page
        .locator(".quick-input-list .monaco-list-row", { hasText: "Inline Completion" })
        .first()
        .waitFor();
    return (await page.locator(".quick-input-list .monaco-list-row").allTextContents()).map((t) =>
        t.replace(/\s+/g, " ").trim()
    );
}

/** Opens the menu until a row matches `expected` (the picked command runs after the menu closes), at most 10 times. */
async function openMenuUntil(page, expected) {
    let rows = [];
    for (let attempt = 0; attempt < 10; attempt++) {
        rows = await openMenu(page);
        if (rows.some((r) => expected.test(r))) return rows;
        await page.keyboard.press("Escape");
        await page.waitForTimeout(500);
    }
    return rows;
}

async function pick(page, text) {
    await page.keyboard.type(text);
    await page.locator(".quick-input-list .monaco-list-row", { hasText: text }).first().waitFor();
    await page.keyboard.press("Enter");
    await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
}

export async function run(session) {
    const { page } = session;
    let rows = await openMenu(page);
    for (const expected of [
        /^Ready/,
        /^Model: tiny-fim-random\.gguf/,
        /^Inline Completion: On/,
        /^Completion Stats.*\d+ shown · \d+% accepted · p50 \d+ ms/,
        /^Restart Engine/
    ]) {
        if (!rows.some((r) => expected.test(r)))
            throw new Error(`no row matches ${expected}: ${rows.join(" | ")}`);
    }
    const screenshot = await session.screenshot("status-menu");
    await pick(page, "Inline Completion: On");
    rows = await openMenuUntil(page, /^Inline Completion: Off.*Turn on/);
    if (!rows.some((r) => /^Inline Completion: Off.*Turn on/.test(r)))
        throw new Error(`the toggle did not turn completion off: ${rows.join(" | ")}`);
    await session.screenshot("status-menu-off");
    await pick(page, "Inline Completion: Off");
    rows = await openMenuUntil(page, /^Inline Completion: On/);
    if (!rows.some((r) => /^Inline Completion: On/.test(r)))
        throw new Error(`the toggle did not turn completion on again: ${rows.join(" | ")}`);
    await page.keyboard.press("Escape");
    return { screenshot, detail: rows.join(" | ") };
}
