// A person types in a file and sees grey ghost text proposed by the local model, then accepts it with Tab.
export const title = "inline completion: typing shows ghost text from the local model, Tab accepts it";

export const files = { "src/sum.ts": "export function sum(values: number[]): number {\n    let total = 0;\n    \n}\n" };

// The test model has random weights: show every suggestion however unsure the model is.
export const settings = { "apprentice.completion.minConfidence": 0 };

export async function run(session) {
    const { page } = session;
    await session.openFile("sum.ts");
    await page.locator(".statusbar-item .codicon-sparkle").first().waitFor({ timeout: 120_000 });
    const editor = page.locator(".monaco-editor .view-lines").first();
    await editor.click();
    // Line 3 is the empty, indented line inside the function body.
    await page.keyboard.press("Control+G");
    await page.keyboard.type("3");
    await page.keyboard.press("Enter");
    await page.keyboard.press("End");
    await page.keyboard.type("for (const v of values) ", { delay: 40 });
    const ghost = page.locator(".ghost-text-decoration, .ghost-text-decoration-preview, .ghost-text");
    // Ask explicitly as well, in case the automatic trigger was cancelled by the last keystroke.
    if (!await ghost.first().isVisible()) await page.keyboard.press("Alt+Backslash");
    await ghost.first().waitFor({ state: "visible", timeout: 60_000 });
    const proposed = (await ghost.allTextContents()).join("").trim();
    if (!proposed) throw new Error("ghost text is empty");
    const screenshot = await session.screenshot("ghost-text");
    // Ghost text is drawn inside the line, so compare the cursor column, not the rendered text.
    const column = async () => Number(/Col (\d+)/.exec(await page.locator(".statusbar-item", { hasText: /Ln \d+, Col \d+/ }).first().textContent() ?? "")?.[1]);
    const before = await column();
    await page.keyboard.press("Tab");
    await ghost.first().waitFor({ state: "hidden", timeout: 10_000 });
    let after = await column();
    for (let i = 0; i < 50 && !(after > before); i++) {
        await page.waitForTimeout(100);
        after = await column();
    }
    if (!(after > before)) throw new Error(`Tab did not insert the suggestion (cursor column ${before} → ${after})`);
    return { screenshot, detail: `proposed ${JSON.stringify(proposed.slice(0, 40))}; Tab moved the cursor from column ${before} to ${after}` };
}
