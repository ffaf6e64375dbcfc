// Ghost text as a person sees it in the real VS Code (code-server in Chromium): where it is drawn,
// waiting until the Apprentice status item names a model, and the time from a keystroke to the
// ghost text on screen. Used by the e2e check 03-ghost-text.mjs and the bench's editor suite.

/** The elements VS Code draws inline suggestions with (inline and preview parts). */
export const GHOST_TEXT = ".ghost-text-decoration, .ghost-text-decoration-preview, .ghost-text";

/** Hovers the Apprentice status item until its tooltip names `model` (at most `timeoutMs`). */
export async function waitForModel(page, model, timeoutMs = 120_000) {
    const item = page
        .locator(".statusbar-item", { hasText: "Apprentice" })
        .filter({ has: page.locator(".codicon-sparkle") })
        .first();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        await item.waitFor({ timeout: timeoutMs });
        await item.hover();
        const hover = page.locator(".monaco-hover, .workbench-hover", { hasText: model }).first();
        if (
            await hover.waitFor({ timeout: 2_000 }).then(
                () => true,
                () => false
            )
        )
            break;
        if (Date.now() > deadline)
            throw new Error(`the Apprentice status item did not become ready with ${model}`);
        await page.mouse.move(600, 300);
    }
    await page.mouse.move(600, 300);
    await page.keyboard.press("Escape");
}

/**
 * Installs a clock in the page: the time of the last keydown (capture phase, before the editor sees
 * it) and the animation frames drawn since. Idempotent.
 */
export async function installKeystrokeClock(page) {
    await page.evaluate(() => {
        if (window.__apprenticeClock) return;
        const clock = { keydownAt: Number.NaN, frames: 0 };
        window.__apprenticeClock = clock;
        document.addEventListener(
            "keydown",
            () => {
                clock.keydownAt = performance.now();
                clock.frames = 0;
            },
            true
        );
        const tick = () => {
            clock.frames++;
            requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
    });
}

/**
 * Types `key` and returns the milliseconds from its keydown until non-empty ghost text is on screen,
 * judged on animation frames (at least two after the keydown, so ghost text left from before the
 * keystroke is not mistaken for the answer: the editor redraws within a frame); undefined when none
 * shows within `timeoutMs`. Needs installKeystrokeClock first.
 */
export async function typeUntilGhostText(page, key, timeoutMs) {
    await page.keyboard.type(key);
    const handle = await page
        .waitForFunction(
            (selector) => {
                const clock = window.__apprenticeClock;
                if (!clock || clock.frames < 2) return false;
                for (const node of document.querySelectorAll(selector)) {
                    if ((node.textContent ?? "").trim() !== "" && node.getClientRects().length > 0)
                        return performance.now() - clock.keydownAt;
                }
                return false;
            },
            GHOST_TEXT,
            { polling: "raf", timeout: timeoutMs }
        )
        .catch(() => undefined);
    return handle ? Number(await handle.jsonValue()) : undefined;
}
